package dev.tether.run.bench;

import dev.tether.client.TetherClient;
import dev.tether.client.TetherClientOptions;
import dev.tether.client.TetherSession;
import dev.tether.sigv4.MqttUrlPresigner;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;

/**
 * Load driver for the Lambda stand-in's cold and warm starts, against {@code tether-local.jar} running the responder
 * on Lambda in process mode, and the original pattern's Node.js responder measured in the same run.
 *
 * <ul>
 *   <li>Tether cold: {@code GET /session} to the responder's {@code ready}, for sessions opened one after another
 *       while the earlier ones stay open, so each needs a new instance: a JVM started, AWS's runtime interface
 *       client, init, the invocation, the responder's connection and subscriptions.</li>
 *   <li>Tether warm: the same, one session at a time, each ended before the next, so the idle instance is
 *       reused.</li>
 *   <li>Peer cold: {@code node original-responder.js} from process start to its {@code READY} line (connected and
 *       subscribed to the session topic), the original pattern's whole responder start.</li>
 * </ul>
 *
 * <p>Usage: {@code ColdStartBench <session URL> <broker URL> <original-responder.js> <samples>}; the responder's keys
 * for the peer come from the environment ({@code AWS_ACCESS_KEY_ID}, {@code AWS_SECRET_ACCESS_KEY}). Prints every
 * sample and the medians.
 */
public final class ColdStartBench {
    private ColdStartBench() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 4) {
            System.err.println("usage: ColdStartBench <session URL> <broker URL> <original-responder.js> <samples>");
            System.exit(2);
        }
        String sessionUrl = args[0];
        String brokerUrl = args[1];
        String peer = args[2];
        int samples = Integer.parseInt(args[3]);
        Vertx vertx = Vertx.vertx();
        TetherClientOptions options = TetherClientOptions.of(sessionUrl)
                .withTimeouts(Duration.ofSeconds(30), Duration.ofSeconds(30));
        try {
            List<Double> cold = new ArrayList<>();
            List<TetherSession> open = new ArrayList<>();
            for (int i = 0; i < samples; i++) {
                long start = System.nanoTime();
                TetherSession session = TetherClient.open(vertx, options).await(60, TimeUnit.SECONDS);
                cold.add(millisSince(start));
                answerOnce(session);
                open.add(session);
            }
            for (TetherSession session : open) {
                session.close().await(10, TimeUnit.SECONDS);
            }
            // The responders end on the client's disconnect; their instances then wait, idle and warm.
            Thread.sleep(3000);

            List<Double> warm = new ArrayList<>();
            for (int i = 0; i < samples; i++) {
                long start = System.nanoTime();
                TetherSession session = TetherClient.open(vertx, options).await(60, TimeUnit.SECONDS);
                warm.add(millisSince(start));
                answerOnce(session);
                session.close().await(10, TimeUnit.SECONDS);
                Thread.sleep(1500);
            }

            List<Double> peerCold = new ArrayList<>();
            for (int i = 0; i < samples; i++) {
                peerCold.add(peerStart(peer, brokerUrl));
            }

            print("tether cold session setup (GET /session to ready, new instance)", cold);
            print("tether warm session setup (GET /session to ready, idle instance reused)", warm);
            print("original-responder.js start (process start to READY)", peerCold);
            System.out.printf(Locale.ROOT, "ratio tether cold / original start: %.2fx%n",
                    median(cold) / median(peerCold));
            System.out.printf(Locale.ROOT, "ratio tether warm / original start: %.2fx%n",
                    median(warm) / median(peerCold));
        } finally {
            vertx.close().await(10, TimeUnit.SECONDS);
        }
    }

    private static void answerOnce(TetherSession session) throws Exception {
        JsonObject answer = session.request(new JsonObject().put("message", "PING")).await(30, TimeUnit.SECONDS);
        if (!"PONG".equals(answer.getString("message"))) {
            throw new IllegalStateException("unexpected answer " + answer);
        }
    }

    private static double peerStart(String script, String brokerUrl) throws Exception {
        ProcessBuilder builder = new ProcessBuilder("node", script).redirectErrorStream(true);
        Map<String, String> env = builder.environment();
        // The stand-in checks signatures on every connection, so the peer's rule connection gets a presigned URL
        // too, made with the same key its invocations sign with.
        URI broker = URI.create(brokerUrl);
        MqttUrlPresigner presigner = MqttUrlPresigner.builder().scheme(broker.getScheme())
                .host(broker.getHost() + ":" + broker.getPort()).path(broker.getPath()).region("us-east-1")
                .expires(Duration.ofMinutes(5)).build();
        env.put("BROKER_URL", presigner.presign(AwsCredentialsIdentity.create(System.getenv("AWS_ACCESS_KEY_ID"),
                System.getenv("AWS_SECRET_ACCESS_KEY"))));
        env.put("TOPIC_PREFIX", "peer");
        long start = System.nanoTime();
        Process process = builder.start();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(),
                StandardCharsets.UTF_8))) {
            List<String> printed = new ArrayList<>();
            for (String line = out.readLine(); line != null; line = out.readLine()) {
                if (line.contains("READY")) {
                    return millisSince(start);
                }
                printed.add(line);
                if (printed.size() > 5) {
                    break;
                }
            }
            throw new IllegalStateException("original-responder.js did not print READY: " + printed);
        } finally {
            process.destroy();
            process.waitFor(10, TimeUnit.SECONDS);
        }
    }

    private static double millisSince(long startNanos) {
        return (System.nanoTime() - startNanos) / 1e6;
    }

    private static double median(List<Double> values) {
        List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }

    private static void print(String what, List<Double> values) {
        StringBuilder line = new StringBuilder();
        for (double value : values) {
            line.append(String.format(Locale.ROOT, " %.0f", value));
        }
        System.out.printf(Locale.ROOT, "%s: median %.0f ms of %d; samples (ms):%s%n", what, median(values),
                values.size(), line);
    }
}
