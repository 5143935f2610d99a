package dev.tether.run;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tether.client.TetherClient;
import dev.tether.client.TetherClientOptions;
import dev.tether.client.TetherSession;
import dev.tether.wire.EndReason;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The runnable jar as a user starts it: what it serves, and that stopping it leaves nothing running. */
class TetherLocalIT {
    private static final Duration STARTUP = Duration.ofSeconds(60);
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private HttpResponse<String> get(String url) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    @DisplayName("the jar serves sessions through the API Gateway stand-in and the demo page with mqtt.js, then "
            + "stops on SIGTERM with no child JVM left")
    void servesAndStopsCleanly() throws Exception {
        List<ProcessHandle> children;
        try (LocalJar jar = LocalJar.start()) {
            jar.await("Press Ctrl-C to stop.", STARTUP);

            HttpResponse<String> session = get(jar.baseUrl() + "/session");
            HttpResponse<String> page = get(jar.baseUrl() + "/");
            HttpResponse<String> mqttJs = get(jar.baseUrl() + "/mqtt.min.js");
            HttpResponse<String> missing = get(jar.baseUrl() + "/nothing-here");

            assertThat(session.statusCode()).as(session.body()).isEqualTo(200);
            JsonObject body = new JsonObject(session.body());
            assertThat(body.getString("endpointUrl")).startsWith("ws://127.0.0.1:" + jar.brokerPort + "/mqtt?")
                    .contains("X-Amz-Security-Token=");
            assertThat(body.getString("channelId")).hasSize(61);
            assertThat(session.headers().firstValue("cache-control")).contains("no-store");
            assertThat(page.statusCode()).isEqualTo(200);
            assertThat(page.body()).contains("<title>Tether demo</title>", "mqtt.min.js");
            assertThat(mqttJs.statusCode()).isEqualTo(200);
            assertThat(mqttJs.body()).as("the mqtt.js browser bundle").contains("MqttClient").hasSizeGreaterThan(
                    100_000);
            assertThat(missing.statusCode()).as("the session function's 404").isEqualTo(404);
            assertThat(new JsonObject(missing.body()).getString("reason")).contains("/nothing-here");

            children = jar.process.descendants().toList();
            assertThat(children).as("the session function's instance runs in a JVM of its own").isNotEmpty();

            jar.process.destroy();
            assertThat(jar.process.waitFor(30, TimeUnit.SECONDS)).as("stopped within 30 s").isTrue();
        }
        for (ProcessHandle child : children) {
            child.onExit().get(10, TimeUnit.SECONDS);
            assertThat(child.isAlive()).as("child %d", child.pid()).isFalse();
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"--lambda-mode=process", "--lambda-mode=in-process", "--responder=container"})
    @DisplayName("a Java client's session through the jar: ready, answers, and the idle end")
    void fullSession(String option) throws Exception {
        try (LocalJar jar = LocalJar.start(option, "--idle-timeout", "2")) {
            jar.await("Press Ctrl-C to stop.", STARTUP);
            if (option.contains("container")) {
                jar.await("responder running", STARTUP);
            }
            Vertx vertx = Vertx.vertx();
            try {
                TetherClientOptions options = TetherClientOptions.of(jar.baseUrl() + "/session")
                        .withTimeouts(Duration.ofSeconds(30), Duration.ofSeconds(30));
                TetherSession session = TetherClient.open(vertx, options).await(60, TimeUnit.SECONDS);
                CompletableFuture<EndReason> ended = new CompletableFuture<>();
                session.endHandler(ended::complete);

                JsonObject first = session.request(new JsonObject().put("message", "PING")).await(30,
                        TimeUnit.SECONDS);
                JsonObject second = session.request(new JsonObject().put("message", "PING")).await(30,
                        TimeUnit.SECONDS);

                assertThat(first.getString("message")).isEqualTo("PONG");
                assertThat(second.getString("message")).isEqualTo("PONG");
                assertThat(ended.get(30, TimeUnit.SECONDS)).isEqualTo(EndReason.IDLE);
            } finally {
                vertx.close().await(10, TimeUnit.SECONDS);
            }
        }
    }

    @Test
    @DisplayName("a bad option is refused with what is allowed, and nothing starts")
    void badOption() throws Exception {
        LocalJar.Result result = LocalJar.run("--lambda-mode", "sometimes");

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.output()).contains("'sometimes' is not a Lambda mode; allowed are process and in-process");
    }

    @Test
    @DisplayName("a port in use fails the start with a message naming the options that choose ports")
    void portInUse() throws Exception {
        try (ServerSocket taken = new ServerSocket(0)) {
            LocalJar.Result result = LocalJar.run("--http-port", Integer.toString(taken.getLocalPort()),
                    "--broker-port", Integer.toString(LocalJar.freePort()),
                    "--aws-port", Integer.toString(LocalJar.freePort()));

            assertThat(result.exitCode()).isEqualTo(1);
            assertThat(result.output()).contains("tether-local could not start: a port is taken")
                    .contains("--http-port");
        }
    }
}
