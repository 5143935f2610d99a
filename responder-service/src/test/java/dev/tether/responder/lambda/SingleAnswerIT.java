package dev.tether.responder.lambda;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tether.channel.ChannelIds;
import dev.tether.channel.ChannelSecret;
import dev.tether.credentials.CachedCredentials;
import dev.tether.local.TestStandIns;
import dev.tether.local.lambda.LocalContext;
import dev.tether.responder.ResponderConfig;
import dev.tether.responder.ResponderRuntime;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;

/** The single-answer mode: the answer goes out through the stand-in's data plane, POST /topics, signed for iotdata. */
@ExtendWith(VertxExtension.class)
class SingleAnswerIT {
    private static final String SECRET = "a channel secret of at least thirty-two bytes";

    private final ChannelIds channelIds = new ChannelIds(ChannelSecret.fromUtf8(SECRET), Clock.systemUTC(),
            new SecureRandom());
    private Vertx vertx;
    private TestStandIns standIns;
    private ResponderRuntime runtime;

    @BeforeEach
    void startStandIns(Vertx vertx) throws Exception {
        this.vertx = vertx;
        standIns = TestStandIns.start(vertx);
    }

    @AfterEach
    void closeRuntime() {
        if (runtime != null) {
            runtime.close();
        }
    }

    @Test
    @DisplayName("A request in the session message is answered once through the data plane, with no ready or end")
    void answersThroughDataPlane() throws Exception {
        SingleAnswerLambda lambda = lambdaSigningWith(TestStandIns.FULL);
        String channelId = channelIds.issue(Duration.ofMinutes(5)).value();
        try (TestStandIns.Client client = client(channelId)) {
            JsonObject answer = invoke(lambda, "{\"channelId\":\"" + channelId + "\",\"id\":7,\"message\":\"PING\"}");

            TestStandIns.Received received = client.next();
            assertThat(received.payload()).isEqualTo("{\"message\":\"PONG\",\"inReplyTo\":7}");
            assertThat(received.qos()).isEqualTo(1);
            assertThat(answer).isEqualTo(new JsonObject().put("outcome", "answered").put("published", 1));
            assertThat(client.nextWithin(TestStandIns.ABSENT)).isEmpty();
        }
    }

    @Test
    @DisplayName("A forged channel id is refused and nothing is published")
    void forgedChannelId_refused() throws Exception {
        SingleAnswerLambda lambda = lambdaSigningWith(TestStandIns.FULL);
        String forged = new ChannelIds(ChannelSecret.fromUtf8("another secret, also thirty-two bytes long"),
                Clock.systemUTC(), new SecureRandom()).issue(Duration.ofMinutes(5)).value();
        try (TestStandIns.Client client = client(forged)) {
            JsonObject answer = invoke(lambda, "{\"channelId\":\"" + forged + "\",\"id\":1}");

            assertThat(answer.getString("outcome")).isEqualTo("refused");
            assertThat(answer.getString("error")).contains("channel id");
            assertThat(client.nextWithin(TestStandIns.ABSENT)).isEmpty();
        }
    }

    @Test
    @DisplayName("A key whose policy does not allow the response topic: failed, with the data plane's 403 and why")
    void policyDenied_failsWithDataPlaneError() throws Exception {
        SingleAnswerLambda lambda = lambdaSigningWith(TestStandIns.NARROW);
        String channelId = channelIds.issue(Duration.ofMinutes(5)).value();

        JsonObject answer = invoke(lambda, "{\"channelId\":\"" + channelId + "\",\"id\":1}");

        assertThat(answer.getString("outcome")).isEqualTo("failed");
        assertThat(answer.getString("error")).startsWith("publish to tether/" + channelId
                + "/response answered 403 ForbiddenException");
    }

    private SingleAnswerLambda lambdaSigningWith(AwsCredentialsIdentity key) {
        ResponderConfig config = ResponderConfig.fromEnvironment(Map.of(
                "AWS_REGION", "us-east-1",
                "TETHER_ENDPOINT", "ws://127.0.0.1:" + standIns.aws().brokerPort() + "/mqtt",
                "TETHER_DATA_ENDPOINT", "http://127.0.0.1:" + standIns.aws().httpPort(),
                "TETHER_CHANNEL_SECRET", SECRET));
        StaticCredentialsProvider provider = StaticCredentialsProvider.create(AwsBasicCredentials.create(
                key.accessKeyId(), key.secretAccessKey()));
        runtime = new ResponderRuntime(vertx, config, config.settings(),
                v -> new CachedCredentials(v, provider, Clock.systemUTC(), CachedCredentials.Timing.defaults()),
                Clock.systemUTC());
        return new SingleAnswerLambda(runtime);
    }

    private TestStandIns.Client client(String channelId) throws Exception {
        TestStandIns.Client client = standIns.connect("tether-client-" + channelId, standIns.url(TestStandIns.FULL));
        client.subscribe("tether/" + channelId + "/response");
        return client;
    }

    private static JsonObject invoke(SingleAnswerLambda lambda, String event) throws Exception {
        ByteArrayOutputStream output = new ByteArrayOutputStream();
        lambda.handleRequest(new ByteArrayInputStream(event.getBytes(StandardCharsets.UTF_8)), output,
                LocalContext.direct("tether-single-answer", 512, "req-single", Duration.ofMillis(30_000)));
        return new JsonObject(output.toString(StandardCharsets.UTF_8));
    }
}
