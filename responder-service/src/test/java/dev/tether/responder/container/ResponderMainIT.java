package dev.tether.responder.container;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tether.channel.ChannelIds;
import dev.tether.channel.ChannelSecret;
import dev.tether.local.TestStandIns;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.ConnectException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@link ResponderMain} in a JVM of its own, as a container runs it, against the stand-in in the test's JVM; SIGTERM
 * comes from {@code kill -TERM}, as {@code docker stop} and Fargate send it ({@link Process#destroy()} would also
 * close the output the test reads).
 */
@ExtendWith(VertxExtension.class)
class ResponderMainIT {
    private static final String SECRET = "a channel secret of at least thirty-two bytes";
    private static final Duration STARTUP = Duration.ofSeconds(60);

    private final ChannelIds channelIds = new ChannelIds(ChannelSecret.fromUtf8(SECRET), Clock.systemUTC(),
            new SecureRandom());
    private final HttpClient http = HttpClient.newHttpClient();
    private final BlockingQueue<String> output = new LinkedBlockingQueue<>();
    private TestStandIns standIns;
    private Process responder;
    private int httpPort;

    @BeforeEach
    void startStandIns(Vertx vertx) throws Exception {
        standIns = TestStandIns.start(vertx);
    }

    @AfterEach
    void killResponder() {
        if (responder != null && responder.isAlive()) {
            responder.destroyForcibly();
        }
    }

    @Test
    @DisplayName("SIGTERM: not ready, the answer being streamed is finished, end: shutdown, exit within the grace")
    void sigterm_drainsSessions_andExitsWithinGrace() throws Exception {
        startResponder(5);
        String channelId = channelIds.issue(Duration.ofMinutes(5)).value();
        try (TestStandIns.Client client = client(channelId)) {
            client.publish("tether/session", "{\"channelId\":\"" + channelId + "\"}", 1);
            assertThat(client.next().payload()).isEqualTo("{\"type\":\"ready\"}");
            client.publish("tether/" + channelId + "/request", "{\"id\":1,\"count\":3,\"intervalMillis\":400}", 1);
            assertThat(get("/metrics").body()).contains("tether_responder_active_sessions 1.0");

            long signalled = System.nanoTime();
            sigterm();

            awaitLine("draining: taking no new sessions", TestStandIns.EXPECTED);
            assertThat(get("/health/ready").statusCode()).isEqualTo(503);
            List<String> messages = List.of(client.next().payload(), client.next().payload(),
                    client.next().payload(), client.next().payload());
            assertThat(messages).containsExactly("{\"part\":1,\"of\":3,\"inReplyTo\":1}",
                    "{\"part\":2,\"of\":3,\"inReplyTo\":1}", "{\"part\":3,\"of\":3,\"inReplyTo\":1}",
                    "{\"type\":\"end\",\"reason\":\"shutdown\"}");
            assertThat(responder.waitFor(5, TimeUnit.SECONDS)).isTrue();
            assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - signalled)).isLessThan(5000);
            assertThat(client.nextWithin(TestStandIns.ABSENT)).isEmpty();
        }
        assertThat(linesSoFar()).anyMatch(line -> line.contains("SIGTERM: draining within 5 s"))
                .anyMatch(line -> line.contains("drained"))
                .noneMatch(line -> line.contains(TestStandIns.FULL.secretAccessKey()))
                .noneMatch(line -> line.contains("X-Amz-Signature"));
    }

    @Test
    @DisplayName("SIGTERM while a handler streams for longer than the grace: end: shutdown anyway, and exit in time")
    void sigterm_withLongStream_stillExitsWithinGrace() throws Exception {
        startResponder(3);
        String channelId = channelIds.issue(Duration.ofMinutes(5)).value();
        try (TestStandIns.Client client = client(channelId)) {
            client.publish("tether/session", "{\"channelId\":\"" + channelId + "\"}", 1);
            assertThat(client.next().payload()).isEqualTo("{\"type\":\"ready\"}");
            client.publish("tether/" + channelId + "/request", "{\"id\":1,\"count\":100,\"intervalMillis\":200}",
                    1);
            assertThat(client.next().payload()).isEqualTo("{\"part\":1,\"of\":100,\"inReplyTo\":1}");

            long signalled = System.nanoTime();
            sigterm();

            String last;
            do {
                last = client.next().payload();
            } while (last.startsWith("{\"part\""));
            assertThat(last).isEqualTo("{\"type\":\"end\",\"reason\":\"shutdown\"}");
            assertThat(responder.waitFor(3, TimeUnit.SECONDS)).isTrue();
            assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - signalled)).isLessThan(3000);
            // end is the last message: the parts the handler still had to send are not published after it.
            assertThat(client.nextWithin(TestStandIns.ABSENT)).isEmpty();
        }
    }

    @Test
    @DisplayName("A session message for a forged channel id starts nothing and is counted as refused")
    void forgedSessionMessage_countedAsRefused() throws Exception {
        startResponder(5);
        String forged = new ChannelIds(ChannelSecret.fromUtf8("another secret, also thirty-two bytes long"),
                Clock.systemUTC(), new SecureRandom()).issue(Duration.ofMinutes(5)).value();
        try (TestStandIns.Client client = client(forged)) {
            client.publish("tether/session", "{\"channelId\":\"" + forged + "\"}", 1);

            assertThat(client.nextWithin(TestStandIns.ABSENT)).isEmpty();
            assertThat(get("/metrics").body())
                    .contains("tether_responder_session_messages_refused_total{why=\"ChannelIdInvalid\"} 1.0");
        }
    }

    private void startResponder(int graceSeconds) throws Exception {
        httpPort = freePort();
        Map<String, String> env = new HashMap<>();
        env.put("AWS_REGION", "us-east-1");
        env.put("TETHER_ENDPOINT", "ws://127.0.0.1:" + standIns.aws().brokerPort() + "/mqtt");
        env.put("TETHER_CHANNEL_SECRET", SECRET);
        env.put("TETHER_HANDLER_CLASS", "dev.tether.responder.StreamingHandler");
        env.put("TETHER_IDLE_TIMEOUT_SECONDS", "60");
        env.put("TETHER_SHUTDOWN_GRACE_SECONDS", Integer.toString(graceSeconds));
        env.put("TETHER_RESPONDER_HTTP_PORT", Integer.toString(httpPort));
        env.put("AWS_ACCESS_KEY_ID", TestStandIns.FULL.accessKeyId());
        env.put("AWS_SECRET_ACCESS_KEY", TestStandIns.FULL.secretAccessKey());
        String java = Path.javaExecutable();
        ProcessBuilder builder = new ProcessBuilder(java, "-Xmx256m", "-cp", System.getProperty("java.class.path"),
                ResponderMain.class.getName())
                .redirectErrorStream(true);
        builder.environment().clear();
        builder.environment().putAll(env);
        responder = builder.start();
        Thread reader = new Thread(() -> {
            try (BufferedReader lines = new BufferedReader(new InputStreamReader(responder.getInputStream(),
                    StandardCharsets.UTF_8))) {
                lines.lines().forEach(line -> {
                    System.out.println("[responder] " + line);
                    output.add(line);
                });
            } catch (IOException | java.io.UncheckedIOException e) {
                // The process ended.
            }
        }, "responder-output");
        reader.setDaemon(true);
        reader.start();
        awaitLine("responder running", STARTUP);
    }

    private void sigterm() throws Exception {
        Process kill = new ProcessBuilder("kill", "-TERM", Long.toString(responder.pid())).start();
        assertThat(kill.waitFor(TestStandIns.EXPECTED.toSeconds(), TimeUnit.SECONDS)).isTrue();
        assertThat(kill.exitValue()).isZero();
    }

    private void awaitLine(String fragment, Duration within) throws InterruptedException {
        long deadline = System.nanoTime() + within.toNanos();
        while (System.nanoTime() < deadline) {
            String line = output.poll(100, TimeUnit.MILLISECONDS);
            if (line != null) {
                seen.add(line);
                if (line.contains(fragment)) {
                    return;
                }
            }
        }
        throw new AssertionError("the responder did not log '" + fragment + "' within " + within + "; it logged "
                + seen);
    }

    private final List<String> seen = new ArrayList<>();

    private List<String> linesSoFar() {
        output.drainTo(seen);
        return seen;
    }

    private TestStandIns.Client client(String channelId) throws Exception {
        TestStandIns.Client client = standIns.connect("tether-client-" + channelId, standIns.url(TestStandIns.FULL));
        client.subscribe("tether/" + channelId + "/response");
        return client;
    }

    private HttpResponse<String> get(String path) throws IOException, InterruptedException {
        try {
            return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + path)).build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (ConnectException e) {
            throw new AssertionError("nothing listens on port " + httpPort + " for " + path, e);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    /** Where this JVM's java executable is. */
    private static final class Path {
        static String javaExecutable() {
            return java.nio.file.Path.of(System.getProperty("java.home"), "bin", "java").toString();
        }
    }
}
