package dev.tether.session.lambda;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.amazonaws.services.lambda.runtime.Context;
import dev.tether.channel.ChannelId;
import dev.tether.channel.ChannelIds;
import dev.tether.channel.ChannelSecret;
import dev.tether.local.lambda.LocalContext;
import dev.tether.session.SessionService;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

/** {@link SessionLambda} driven with API Gateway events as AWS sends them, payload formats 2.0 and 1.0. */
class SessionLambdaTest {
    private static final String SECRET = "a-channel-secret-of-at-least-32-bytes!";
    private static final String ORIGIN = "https://app.example.com";

    private static LambdaHost host;

    @BeforeAll
    static void startHost() throws Exception {
        Map<String, String> env = Map.of(
                "AWS_REGION", "us-east-1",
                "AWS_IOT_HOST", "abc123-ats.iot.us-east-1.amazonaws.com",
                "TETHER_CHANNEL_SECRET", SECRET,
                "TETHER_ALLOWED_ORIGINS", ORIGIN);
        SessionService.Dependencies dependencies = new SessionService.Dependencies(
                StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDLAMBDA0000000001", "lambda-secret")),
                Optional.empty(), Clock.systemUTC());
        host = LambdaHost.start(env, dependencies).await(10, TimeUnit.SECONDS);
    }

    @AfterAll
    static void closeHost() throws Exception {
        host.close().await(10, TimeUnit.SECONDS);
    }

    private static JsonObject event(String name) throws IOException {
        try (InputStream in = SessionLambdaTest.class.getResourceAsStream("/events/" + name)) {
            return new JsonObject(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }
    }

    private static JsonObject invoke(SessionLambda lambda, JsonObject event, String requestId) throws IOException {
        // API Gateway waits at most 29 s for an integration, so a function behind it gets about that long.
        return invoke(lambda, event, LocalContext.direct("tether-session", 512, requestId, Duration.ofSeconds(29)));
    }

    private static JsonObject invoke(SessionLambda lambda, JsonObject event, Context context)
            throws IOException {
        ByteArrayOutputStream output = new ByteArrayOutputStream();
        lambda.handleRequest(new ByteArrayInputStream(event.encode().getBytes(StandardCharsets.UTF_8)), output,
                context);
        return new JsonObject(output.toString(StandardCharsets.UTF_8));
    }

    private static ChannelId verifiedChannel(String channelId) {
        return new ChannelIds(ChannelSecret.fromUtf8(SECRET), Clock.systemUTC(), new SecureRandom())
                .verify(channelId);
    }

    @Test
    @DisplayName("an HTTP API (payload 2.0) GET /session answers 200 with a session and CORS for the origin")
    void httpApiSession() throws IOException {
        JsonObject response = invoke(new SessionLambda(host), event("http-api-v2-get-session.json"), "req-v2-1");

        assertThat(response.getInteger("statusCode")).isEqualTo(200);
        assertThat(response.getBoolean("isBase64Encoded")).isFalse();
        JsonObject headers = response.getJsonObject("headers");
        assertThat(headers.getString("content-type")).isEqualTo("application/json");
        assertThat(headers.getString("access-control-allow-origin")).isEqualTo(ORIGIN);
        assertThat(headers.getString("x-request-id")).isEqualTo("req-v2-1");
        JsonObject body = new JsonObject(response.getString("body"));
        ChannelId channel = verifiedChannel(body.getString("channelId"));
        assertThat(body.getString("endpointUrl"))
                .startsWith("wss://abc123-ats.iot.us-east-1.amazonaws.com/mqtt?X-Amz-Algorithm=AWS4-HMAC-SHA256")
                .contains("X-Amz-Credential=AKIDLAMBDA0000000001%2F");
        assertThat(body.getJsonObject("topics").getString("request")).isEqualTo("tether/" + channel + "/request");
    }

    @Test
    @DisplayName("a REST API (payload 1.0, the original pattern's http event) GET /session answers 200 with a "
            + "session in multi-value headers")
    void restApiSession() throws IOException {
        JsonObject response = invoke(new SessionLambda(host), event("rest-api-v1-get-session.json"), "req-v1-1");

        assertThat(response.getInteger("statusCode")).isEqualTo(200);
        JsonObject headers = response.getJsonObject("multiValueHeaders");
        assertThat(headers.getJsonArray("content-type")).containsExactly("application/json");
        assertThat(headers.getJsonArray("access-control-allow-origin")).containsExactly(ORIGIN);
        JsonObject body = new JsonObject(response.getString("body"));
        verifiedChannel(body.getString("channelId"));
        assertThat(body.getString("endpointUrl")).startsWith("wss://abc123-ats.iot.us-east-1.amazonaws.com/mqtt?");
    }

    @Test
    @DisplayName("through Lambda, an unknown path answers 404 and a wrong method 405, as in the container")
    void unknownPathAndWrongMethod() throws IOException {
        JsonObject restEvent = event("rest-api-v1-get-session.json")
                .put("path", "/sessions")
                .put("resource", "/{proxy+}");
        JsonObject httpEvent = event("http-api-v2-get-session.json");
        httpEvent.getJsonObject("requestContext").getJsonObject("http").put("method", "DELETE");
        SessionLambda lambda = new SessionLambda(host);

        JsonObject notFound = invoke(lambda, restEvent, "req-404");
        JsonObject wrongMethod = invoke(lambda, httpEvent, "req-405");

        assertThat(notFound.getInteger("statusCode")).isEqualTo(404);
        assertThat(new JsonObject(notFound.getString("body")).getString("reason")).contains("/sessions");
        assertThat(wrongMethod.getInteger("statusCode")).isEqualTo(405);
        assertThat(new JsonObject(wrongMethod.getString("body")).getString("reason"))
                .isEqualTo("DELETE is not allowed on /session; allowed is GET");
    }

    @Test
    @DisplayName("an origin not configured gets 403 through Lambda too")
    void refusedOrigin() throws IOException {
        JsonObject httpEvent = event("http-api-v2-get-session.json");
        httpEvent.getJsonObject("headers").put("origin", "https://evil.example.net");

        JsonObject response = invoke(new SessionLambda(host), httpEvent, "req-cors");

        assertThat(response.getInteger("statusCode")).isEqualTo(403);
        assertThat(response.getString("body")).doesNotContain("endpointUrl");
    }

    @Test
    @DisplayName("an invocation with no more time left than the safety margin answers 504 at once")
    void noTimeLeftAnswers504() throws IOException {
        JsonObject response = invoke(new SessionLambda(host), event("http-api-v2-get-session.json"),
                LocalContext.direct("tether-session", 512, "req-late",
                        Duration.ofMillis(SessionLambda.SAFETY_MARGIN_MILLIS)));

        assertThat(response.getInteger("statusCode")).isEqualTo(504);
        assertThat(new JsonObject(response.getString("body")).getString("reason"))
                .isEqualTo("no answer within the invocation's remaining time less 500 ms");
    }

    @Test
    @DisplayName("log lines carry the request id, and cold start only on an environment's first invocation")
    void logsRequestIdAndColdStart() throws IOException {
        Logger logger = (Logger) LoggerFactory.getLogger(SessionLambda.class);
        ListAppender<ILoggingEvent> appender = new ListAppender<>();
        appender.start();
        logger.addAppender(appender);
        ch.qos.logback.classic.Level level = logger.getLevel();
        logger.setLevel(ch.qos.logback.classic.Level.INFO);
        try {
            SessionLambda lambda = new SessionLambda(host);
            invoke(lambda, event("http-api-v2-get-session.json"), "req-cold");
            invoke(lambda, event("http-api-v2-get-session.json"), "req-warm");
        } finally {
            logger.detachAppender(appender);
            logger.setLevel(level);
        }

        assertThat(appender.list).hasSize(2);
        assertThat(appender.list.get(0).getMDCPropertyMap())
                .containsEntry("requestId", "req-cold")
                .containsEntry("coldStart", "true");
        assertThat(appender.list.get(0).getFormattedMessage()).startsWith("req-cold GET /session answered 200");
        assertThat(appender.list.get(1).getMDCPropertyMap())
                .containsEntry("requestId", "req-warm")
                .containsEntry("coldStart", "false");
    }
}
