package dev.tether.responder.bench;

import dev.tether.channel.ChannelIds;
import dev.tether.channel.ChannelSecret;
import dev.tether.mqtt.MqttClientOptions;
import dev.tether.mqtt.MqttWebSocketClient;
import dev.tether.sigv4.MqttUrlPresigner;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;

/**
 * Load driver: request round trip and session setup of Tether's container responder against the original pattern's
 * responder and the echo floor (Node.js peers), through one broker (Tether's IoT stand-in, SigV4 checked) in the
 * same run. Each runs in a process of its own; the responders take turns in rounds, each round starting with
 * another one, so that load from elsewhere on the machine falls on all of them. Tether runs twice: with the default
 * claim window (200 ms) and with a short one ({@code bench.shortWindow}, 20 ms unless set), to show what the
 * at-most-one-responder claim costs in setup. A fresh JVM also measures the Lambda entrypoint's cold start.
 *
 * <p>Per session the driver opens a client connection (a presigned URL, as a browser would), subscribes to the
 * response topic, and publishes the session message. Setup is the time from that publish to the first answer: for
 * Tether, the client waits for {@code ready} and then sends its request; the original pattern has no {@code ready},
 * so the client sends its first request again every 5 ms until answered (requests published before the responder
 * subscribed are lost). Then it makes sequential QoS 1 round trips. The echo floor needs no session message.
 *
 * <p>Arguments: the classpath of the responder and the stand-in, the folder of the Node.js peers (with
 * node_modules), an output folder. System properties: {@code bench.rounds} (4), {@code bench.sessions} (20 per
 * responder per round), {@code bench.roundTrips} (50 per session).
 */
public final class ResponderBench {
    private static final String SECRET = "bench channel secret, at least thirty-two bytes long";
    private static final AwsCredentialsIdentity CLIENT_KEY = AwsCredentialsIdentity.create("AKIALOCALSESSION0001",
            "local-session-secret");
    private static final AwsCredentialsIdentity RESPONDER_KEY = AwsCredentialsIdentity.create(
            "AKIALOCALRESPONDER01", "local-responder-secret");
    private static final Duration WAIT = Duration.ofSeconds(10);

    private final Vertx vertx = Vertx.vertx();
    private final ChannelIds channelIds = new ChannelIds(ChannelSecret.fromUtf8(SECRET), Clock.systemUTC(),
            new SecureRandom());
    private final List<Process> processes = new ArrayList<>();
    private MqttUrlPresigner presigner;
    private final Map<String, Samples> firstRoundTrips = new LinkedHashMap<>();

    private ResponderBench() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 3) {
            System.err.println("usage: ResponderBench <classpath> <peers folder> <output folder>");
            System.exit(2);
        }
        ResponderBench bench = new ResponderBench();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> bench.processes.forEach(Process::destroy)));
        try {
            bench.run(args[0], Path.of(args[1]), Path.of(args[2]));
        } finally {
            bench.stopAll();
        }
        System.exit(0);
    }

    private void run(String classpath, Path peers, Path out) throws Exception {
        int rounds = Integer.getInteger("bench.rounds", 4);
        int sessions = Integer.getInteger("bench.sessions", 20);
        int roundTrips = Integer.getInteger("bench.roundTrips", 50);
        Files.createDirectories(out);
        int brokerPort = freePort();
        int httpPort = freePort();
        Path config = out.resolve("stand-in.yaml");
        Files.writeString(config, "brokerPort: " + brokerPort + "\nhttpPort: " + httpPort + "\n");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String brokerUrl = "ws://127.0.0.1:" + brokerPort + "/mqtt";
        presigner = MqttUrlPresigner.builder()
                .scheme("ws")
                .host("127.0.0.1:" + brokerPort)
                .region("us-east-1")
                .expires(Duration.ofHours(1))
                .build();

        System.out.println("== starting the IoT stand-in on " + brokerUrl);
        start("stand-in", new ProcessBuilder(java, "-Xmx1g", "-cp", classpath, "dev.tether.local.LocalMain",
                config.toString()), Map.of(), "stand-ins listening", out);

        System.out.println("== Lambda cold start probe (a fresh JVM, with Lambda's default -XX:TieredStopAtLevel=1)");
        String coldStart = start("cold-start", new ProcessBuilder(java, "-XX:+TieredCompilation",
                "-XX:TieredStopAtLevel=1", "-Xmx512m", "-cp", classpath, LambdaColdStart.class.getName(),
                presigner.presign(CLIENT_KEY), presigner.presign(CLIENT_KEY)), Map.of(
                        "AWS_REGION", "us-east-1",
                        "TETHER_ENDPOINT", brokerUrl,
                        "TETHER_CHANNEL_SECRET", SECRET,
                        "AWS_ACCESS_KEY_ID", RESPONDER_KEY.accessKeyId(),
                        "AWS_SECRET_ACCESS_KEY", RESPONDER_KEY.secretAccessKey()),
                "COLDSTART", out);

        System.out.println("== starting Tether's container responder (prefix tether)");
        long tetherStart = System.nanoTime();
        start("tether", new ProcessBuilder(java, "-Xmx1g", "-cp", classpath,
                "dev.tether.responder.container.ResponderMain"), Map.of(
                        "AWS_REGION", "us-east-1",
                        "TETHER_ENDPOINT", brokerUrl,
                        "TETHER_CHANNEL_SECRET", SECRET,
                        "TETHER_TOPIC_PREFIX", "tether",
                        "TETHER_IDLE_TIMEOUT_SECONDS", "2",
                        "TETHER_RESPONDER_HTTP_PORT", "0",
                        "AWS_ACCESS_KEY_ID", RESPONDER_KEY.accessKeyId(),
                        "AWS_SECRET_ACCESS_KEY", RESPONDER_KEY.secretAccessKey()),
                "responder running", out);
        double tetherStartMillis = (System.nanoTime() - tetherStart) / 1e6;
        String shortWindow = System.getProperty("bench.shortWindow", "20");
        System.out.println("== starting Tether's container responder with a " + shortWindow
                + " ms claim window (prefix tether20)");
        start("tether20", new ProcessBuilder(java, "-Xmx1g", "-cp", classpath,
                "dev.tether.responder.container.ResponderMain"), Map.of(
                        "AWS_REGION", "us-east-1",
                        "TETHER_ENDPOINT", brokerUrl,
                        "TETHER_CHANNEL_SECRET", SECRET,
                        "TETHER_TOPIC_PREFIX", "tether20",
                        "TETHER_CLAIM_WINDOW_MILLIS", shortWindow,
                        "TETHER_IDLE_TIMEOUT_SECONDS", "2",
                        "TETHER_RESPONDER_HTTP_PORT", "0",
                        "AWS_ACCESS_KEY_ID", RESPONDER_KEY.accessKeyId(),
                        "AWS_SECRET_ACCESS_KEY", RESPONDER_KEY.secretAccessKey()),
                "responder running", out);

        // The peers' rule connection uses BROKER_URL as it is, so it gets a URL presigned for an hour.
        String signedBrokerUrl = presigner.presign(RESPONDER_KEY);
        Map<String, String> nodeEnv = Map.of(
                "BROKER_URL", signedBrokerUrl,
                "IDLE_TIMEOUT_MS", "2000",
                "AWS_REGION", "us-east-1",
                "AWS_ACCESS_KEY_ID", RESPONDER_KEY.accessKeyId(),
                "AWS_SECRET_ACCESS_KEY", RESPONDER_KEY.secretAccessKey(),
                "PATH", System.getenv("PATH"),
                "AWS_SESSION_TOKEN", "",
                "RESPONDER_LOG", "1");
        System.out.println("== starting the original pattern's responder (prefix original)");
        long originalStart = System.nanoTime();
        start("original", new ProcessBuilder("node", peers.resolve("original-responder.js").toString()),
                with(nodeEnv, "TOPIC_PREFIX", "original"), "READY", out);
        double originalStartMillis = (System.nanoTime() - originalStart) / 1e6;
        System.out.println("== starting the echo floor (prefix echo)");
        start("echo", new ProcessBuilder("node", peers.resolve("echo-responder.js").toString()),
                with(nodeEnv, "TOPIC_PREFIX", "echo"), "READY", out);

        Map<String, Samples> setup = new LinkedHashMap<>();
        Map<String, Samples> roundTrip = new LinkedHashMap<>();
        for (String name : List.of("tether", "tether20", "original", "echo")) {
            setup.put(name, new Samples());
            roundTrip.put(name, new Samples());
        }
        System.out.println("== warming up");
        for (String name : List.of("tether", "tether20", "original", "echo")) {
            for (int i = 0; i < 5; i++) {
                session(name, 20, new Samples(), new Samples());
            }
        }
        for (int round = 1; round <= rounds; round++) {
            System.out.printf(Locale.ROOT, "== round %d of %d: %d sessions x %d round trips each%n", round, rounds,
                    sessions, roundTrips);
            // Each round starts with another responder, so that none always follows the same one.
            List<String> order = new ArrayList<>(List.of("tether", "tether20", "original", "echo"));
            Collections.rotate(order, -(round - 1));
            for (String name : order) {
                for (int i = 0; i < sessions; i++) {
                    session(name, roundTrips, setup.get(name), roundTrip.get(name));
                }
            }
        }

        System.out.println();
        System.out.printf(Locale.ROOT, "%-9s %9s %9s %9s %9s | %9s %9s %9s%n", "responder", "rt p50", "rt p90",
                "rt p99", "n", "setup p50", "setup p99", "n");
        for (String name : setup.keySet()) {
            Samples rt = roundTrip.get(name);
            Samples su = setup.get(name);
            System.out.printf(Locale.ROOT, "%-9s %9.3f %9.3f %9.3f %9d | %9s %9s %9d%n", name, rt.percentile(50),
                    rt.percentile(90), rt.percentile(99), rt.size(), su.size() == 0 ? "-" : fmt(su.percentile(50)),
                    su.size() == 0 ? "-" : fmt(su.percentile(99)), su.size());
        }
        System.out.println("(milliseconds)");
        firstRoundTrips.forEach((name, first) -> System.out.printf(Locale.ROOT,
                "%-9s first 5 round trips of each session (warm-up included): p50 %.3f, p90 %.3f, p99 %.3f%n",
                name, first.percentile(50), first.percentile(90), first.percentile(99)));
        System.out.printf(Locale.ROOT, "ratio tether/original: rt p50 %.2fx, rt p99 %.2fx, setup p50 %.2fx, setup p99 "
                        + "%.2fx%n", ratio(roundTrip, "original", 50), ratio(roundTrip, "original", 99),
                ratio(setup, "original", 50), ratio(setup, "original", 99));
        System.out.printf(Locale.ROOT, "ratio tether20/original: setup p50 %.2fx, setup p99 %.2fx%n",
                setup.get("tether20").percentile(50) / setup.get("original").percentile(50),
                setup.get("tether20").percentile(99) / setup.get("original").percentile(99));
        System.out.printf(Locale.ROOT, "ratio tether/echo:     rt p50 %.2fx, rt p99 %.2fx%n",
                ratio(roundTrip, "echo", 50), ratio(roundTrip, "echo", 99));
        System.out.printf(Locale.ROOT, "process start to taking sessions: tether %.0f ms, original %.0f ms%n",
                tetherStartMillis, originalStartMillis);
        System.out.println("Lambda " + coldStart.substring(coldStart.indexOf("COLDSTART")));
    }

    private static double ratio(Map<String, Samples> samples, String peer, int percentile) {
        return samples.get("tether").percentile(percentile) / samples.get(peer).percentile(percentile);
    }

    private static String fmt(double value) {
        return String.format(Locale.ROOT, "%.3f", value);
    }

    private static Map<String, String> with(Map<String, String> env, String name, String value) {
        Map<String, String> copy = new LinkedHashMap<>(env);
        copy.put(name, value);
        return copy;
    }

    /** One session on one responder: setup (unless echo), then sequential round trips. */
    private void session(String prefix, int roundTrips, Samples setup, Samples roundTrip) throws Exception {
        String channelId = channelIds.issue(Duration.ofMinutes(5)).value();
        BlockingQueue<Arrival> arrivals = new LinkedBlockingQueue<>();
        MqttWebSocketClient client = MqttWebSocketClient.create(vertx, MqttClientOptions.of("tether-client-"
                        + channelId))
                .messageHandler(message -> arrivals.add(new Arrival(System.nanoTime(),
                        message.payload().toString(StandardCharsets.UTF_8))));
        String requestTopic = prefix + "/" + channelId + "/request";
        client.connect(presigner.presign(CLIENT_KEY))
                .compose(present -> client.subscribe(prefix + "/" + channelId + "/response", 1))
                .await(WAIT.toMillis(), TimeUnit.MILLISECONDS);

        if (!"echo".equals(prefix)) {
            long started = System.nanoTime();
            client.publish(prefix + "/session", new JsonObject().put("channelId", channelId).toBuffer(), 1, false)
                    .await(WAIT.toMillis(), TimeUnit.MILLISECONDS);
            Arrival first;
            if (prefix.startsWith("tether")) {
                Arrival ready = next(arrivals, WAIT.toMillis());
                if (!ready.payload().contains("ready")) {
                    throw new IllegalStateException("expected ready, got " + ready.payload());
                }
                client.publish(requestTopic, request(0), 1, false);
                first = next(arrivals, WAIT.toMillis());
            } else {
                first = null;
                long deadline = System.nanoTime() + WAIT.toNanos();
                while (first == null && System.nanoTime() < deadline) {
                    client.publish(requestTopic, request(0), 1, false);
                    first = arrivals.poll(5, TimeUnit.MILLISECONDS);
                }
                if (first == null) {
                    throw new IllegalStateException(prefix + " did not answer within " + WAIT);
                }
                // Answers to the requests sent again arrive late; let them, so they are not taken for later ones.
                while (arrivals.poll(100, TimeUnit.MILLISECONDS) != null) {
                    arrivals.clear();
                }
            }
            setup.add((first.nanos() - started) / 1e6);
        }

        for (int i = 1; i <= roundTrips; i++) {
            long sent = System.nanoTime();
            client.publish(requestTopic, request(i), 1, false);
            Arrival answer = next(arrivals, WAIT.toMillis());
            roundTrip.add((answer.nanos() - sent) / 1e6);
            if (i <= 5) {
                firstRoundTrips.computeIfAbsent(prefix, name -> new Samples()).add((answer.nanos() - sent) / 1e6);
            }
        }
        client.disconnect().await(WAIT.toMillis(), TimeUnit.MILLISECONDS);
    }

    private static Buffer request(int id) {
        return new JsonObject().put("id", id).put("message", "PING").toBuffer();
    }

    private static Arrival next(BlockingQueue<Arrival> arrivals, long waitMillis) throws InterruptedException {
        Arrival arrival = arrivals.poll(waitMillis, TimeUnit.MILLISECONDS);
        if (arrival == null) {
            throw new IllegalStateException("no answer within " + waitMillis + " ms");
        }
        return arrival;
    }

    private String start(String name, ProcessBuilder builder, Map<String, String> env, String readyLine, Path out)
            throws Exception {
        builder.environment().clear();
        builder.environment().putAll(env);
        builder.redirectErrorStream(true);
        Process process = builder.start();
        processes.add(process);
        BlockingQueue<String> lines = new LinkedBlockingQueue<>();
        Path log = out.resolve(name + ".log");
        Thread reader = new Thread(() -> {
            try (BufferedReader input = new BufferedReader(new InputStreamReader(process.getInputStream(),
                    StandardCharsets.UTF_8))) {
                String line;
                while ((line = input.readLine()) != null) {
                    lines.add(line);
                    Files.writeString(log, line + "\n", StandardCharsets.UTF_8,
                            java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
                }
            } catch (IOException | UncheckedIOException e) {
                // The process ended.
            }
        }, name + "-output");
        reader.setDaemon(true);
        reader.start();
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            String line = lines.poll(50, TimeUnit.MILLISECONDS);
            if (line != null && line.contains(readyLine)) {
                return line;
            }
            if (!process.isAlive()) {
                break;
            }
        }
        throw new IllegalStateException(name + " did not print '" + readyLine + "'; see " + log);
    }

    private void stopAll() {
        for (Process process : processes) {
            process.destroy();
        }
        vertx.close();
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private record Arrival(long nanos, String payload) {
    }

    /** Latencies in milliseconds. */
    private static final class Samples {
        private double[] values = new double[1024];
        private int size;

        void add(double value) {
            if (size == values.length) {
                values = Arrays.copyOf(values, size * 2);
            }
            values[size++] = value;
        }

        int size() {
            return size;
        }

        double percentile(int percentile) {
            double[] sorted = Arrays.copyOf(values, size);
            Arrays.sort(sorted);
            int rank = (int) Math.ceil(percentile / 100.0 * size) - 1;
            return sorted[Math.max(0, Math.min(size - 1, rank))];
        }
    }
}
