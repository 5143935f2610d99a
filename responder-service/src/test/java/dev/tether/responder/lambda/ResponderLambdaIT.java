package dev.tether.responder.lambda;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.Context;
import dev.tether.channel.ChannelIds;
import dev.tether.channel.ChannelSecret;
import dev.tether.credentials.CachedCredentials;
import dev.tether.local.TestStandIns;
import dev.tether.local.lambda.LocalContext;
import dev.tether.responder.ResponderConfig;
import dev.tether.responder.ResponderRuntime;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;

/** The Lambda entrypoint in-process, invoked as the IoT rule invokes it, against the local IoT stand-in. */
@ExtendWith(VertxExtension.class)
class ResponderLambdaIT {
    private static final String SECRET = "a channel secret of at least thirty-two bytes";

    private TestStandIns standIns;
    private ResponderRuntime runtime;
    private RecordingEnvironment metrics;
    private ResponderLambda lambda;
    private final AtomicInteger credentialsResolved = new AtomicInteger();
    private final ChannelIds channelIds = new ChannelIds(ChannelSecret.fromUtf8(SECRET), Clock.systemUTC(),
            new SecureRandom());

    @BeforeEach
    void startStandIns(Vertx vertx) throws Exception {
        standIns = TestStandIns.start(vertx);
        ResponderConfig config = ResponderConfig.fromEnvironment(Map.of(
                "AWS_REGION", "us-east-1",
                "TETHER_ENDPOINT", "ws://127.0.0.1:" + standIns.aws().brokerPort() + "/mqtt",
                "TETHER_CHANNEL_SECRET", SECRET));
        AwsCredentialsProvider counting = () -> {
            credentialsResolved.incrementAndGet();
            return AwsBasicCredentials.create(TestStandIns.FULL.accessKeyId(), TestStandIns.FULL.secretAccessKey());
        };
        runtime = new ResponderRuntime(vertx, config, ResponderLambda.lambdaSettings(config),
                v -> new CachedCredentials(v, counting, Clock.systemUTC(), CachedCredentials.Timing.defaults()),
                Clock.systemUTC());
        metrics = new RecordingEnvironment();
        lambda = new ResponderLambda(runtime, new SessionMetrics(() -> metrics), Clock.systemUTC());
    }

    @AfterEach
    void closeRuntime() {
        runtime.close();
    }

    @Test
    @DisplayName("With 5 s remaining, the session serves a request and ends itself with end: deadline in time")
    void shortRemainingTime_endsWithDeadline_andReturnsSummary() throws Exception {
        String channelId = channelIds.issue(Duration.ofMinutes(5)).value();
        try (TestStandIns.Client client = client(channelId)) {
            long started = System.nanoTime();
            CompletableFuture<JsonObject> invocation = invokeAsync("{\"channelId\":\"" + channelId + "\"}",
                    context("req-deadline", 5000));

            assertThat(client.next().payload()).isEqualTo("{\"type\":\"ready\"}");
            client.publish("tether/" + channelId + "/request", "{\"id\":1,\"message\":\"PING\"}", 1);
            assertThat(client.next().payload()).isEqualTo("{\"message\":\"PONG\",\"inReplyTo\":1}");
            assertThat(client.next().payload()).isEqualTo("{\"type\":\"end\",\"reason\":\"deadline\"}");
            JsonObject answer = invocation.get(TestStandIns.EXPECTED.toMillis(), TimeUnit.MILLISECONDS);
            long tookMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);

            assertThat(answer.getString("outcome")).isEqualTo("served");
            assertThat(answer.getString("channelId")).isEqualTo(channelId);
            assertThat(answer.getString("reason")).isEqualTo("deadline");
            assertThat(answer.getLong("requests")).isEqualTo(1);
            // Lambda would have stopped the function at 5 s: it must have answered before.
            assertThat(tookMillis).isLessThan(5000);
            JsonObject line = metrics.lines.get(0);
            JsonObject definition = line.getJsonObject("_aws").getJsonArray("CloudWatchMetrics").getJsonObject(0);
            assertThat(definition.getString("Namespace")).isEqualTo("Tether");
            assertThat(definition.getJsonArray("Dimensions")).isEqualTo(new JsonArray().add(new JsonArray()
                    .add("Outcome").add("EndReason")));
            assertThat(line.getString("Outcome")).isEqualTo("served");
            assertThat(line.getString("EndReason")).isEqualTo("deadline");
            assertThat(line.getValue("Requests")).isEqualTo(1.0);
            assertThat(line.getValue("Sessions")).isEqualTo(1.0);
            assertThat(((Number) line.getValue("Duration")).longValue()).isBetween(2000L, 5000L);
            assertThat(line.getString("requestId")).isEqualTo("req-deadline");
        }
    }

    @Test
    @DisplayName("A forged channel id is refused without an exception (no Lambda retry) and without connecting")
    void forgedChannelId_refused_withoutConnecting() throws Exception {
        String forged = new ChannelIds(ChannelSecret.fromUtf8("another secret, also thirty-two bytes long"),
                Clock.systemUTC(), new SecureRandom()).issue(Duration.ofMinutes(5)).value();

        JsonObject answer = invoke("{\"channelId\":\"" + forged + "\"}", context("req-forged", 60_000));

        assertThat(answer.getString("outcome")).isEqualTo("refused");
        assertThat(answer.getString("error")).contains("channel id");
        assertThat(credentialsResolved).hasValue(0);
        assertThat(metrics.lines.get(0).getString("Outcome")).isEqualTo("refused");
    }

    @Test
    @DisplayName("An event that is not a session message is refused, saying what a session message is")
    void malformedEvent_refused() throws Exception {
        JsonObject notJson = invoke("channelId=abc", context("req-bad-1", 60_000));
        JsonObject noChannel = invoke("{\"channel\":\"abc\"}", context("req-bad-2", 60_000));

        assertThat(notJson.getString("outcome")).isEqualTo("refused");
        assertThat(notJson.getString("error")).startsWith("the event is not a session message");
        assertThat(noChannel.getString("outcome")).isEqualTo("refused");
        assertThat(noChannel.getString("error")).contains("channelId");
        assertThat(credentialsResolved).hasValue(0);
    }

    @Test
    @DisplayName("Less remaining time than the safety margin: failed at once, with what to change")
    void remainingTimeBelowMargin_fails() throws Exception {
        String channelId = channelIds.issue(Duration.ofMinutes(5)).value();

        JsonObject answer = invoke("{\"channelId\":\"" + channelId + "\"}", context("req-late", 2000));

        assertThat(answer.getString("outcome")).isEqualTo("failed");
        assertThat(answer.getString("error")).contains("less than the safety margin of 2500 ms");
        assertThat(credentialsResolved).hasValue(0);
    }

    @Test
    @DisplayName("Before a SnapStart checkpoint the running session ends with shutdown and credentials are dropped")
    void checkpoint_endsSessions_andDropsCredentials() throws Exception {
        String channelId = channelIds.issue(Duration.ofMinutes(5)).value();
        try (TestStandIns.Client client = client(channelId)) {
            CompletableFuture<JsonObject> invocation = invokeAsync("{\"channelId\":\"" + channelId + "\"}",
                    context("req-snap", 60_000));
            assertThat(client.next().payload()).isEqualTo("{\"type\":\"ready\"}");
            int resolvedBefore = credentialsResolved.get();

            new SnapStartHooks(runtime).beforeCheckpoint(null);

            assertThat(client.next().payload()).isEqualTo("{\"type\":\"end\",\"reason\":\"shutdown\"}");
            assertThat(invocation.get(TestStandIns.EXPECTED.toMillis(), TimeUnit.MILLISECONDS).getString("reason"))
                    .isEqualTo("shutdown");
            assertThat(runtime.service().activeSessions()).isZero();
            assertThat(resolvedBefore).isEqualTo(1);
        }
        // After the restore, the next session resolves credentials afresh instead of using the cached ones.
        String next = channelIds.issue(Duration.ofMinutes(5)).value();
        try (TestStandIns.Client client = client(next)) {
            CompletableFuture<JsonObject> invocation = invokeAsync("{\"channelId\":\"" + next + "\"}",
                    context("req-restored", 4000));
            assertThat(client.next().payload()).isEqualTo("{\"type\":\"ready\"}");
            assertThat(invocation.get(TestStandIns.EXPECTED.toMillis(), TimeUnit.MILLISECONDS).getString("outcome"))
                    .isEqualTo("served");
        }
        assertThat(credentialsResolved).hasValue(2);
    }

    private TestStandIns.Client client(String channelId) throws Exception {
        TestStandIns.Client client = standIns.connect("tether-client-" + channelId, standIns.url(TestStandIns.FULL));
        client.subscribe("tether/" + channelId + "/response");
        return client;
    }

    private CompletableFuture<JsonObject> invokeAsync(String event, Context context) {
        return CompletableFuture.supplyAsync(() -> {
            try {
                return invoke(event, context);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    private JsonObject invoke(String event, Context context) throws IOException {
        ByteArrayOutputStream output = new ByteArrayOutputStream();
        lambda.handleRequest(new ByteArrayInputStream(event.getBytes(StandardCharsets.UTF_8)), output, context);
        return new JsonObject(output.toString(StandardCharsets.UTF_8));
    }

    /** The context of an invocation that starts now with {@code remainingMillis} left, counting down. */
    private static Context context(String requestId, long remainingMillis) {
        return LocalContext.direct("tether-responder", 512, requestId, Duration.ofMillis(remainingMillis));
    }
}
