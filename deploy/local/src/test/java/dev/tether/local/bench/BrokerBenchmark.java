package dev.tether.local.bench;

import dev.tether.sigv4.MqttUrlPresigner;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * QoS 1 messages routed per second, and the latency they see, through the IoT Core stand-in and through HiveMQ CE
 * embedded, on the same workload in the same run: {@code connections} MQTT-over-WebSocket clients, client i
 * subscribed to {@code bench/i} and publishing to {@code bench/i+1} with a window of unacknowledged QoS 1
 * messages. Each broker runs in a JVM of its own with the same heap; the load driver runs here, on the same
 * machine. Also measures each broker's resident memory per idle connection.
 *
 * <p>Not a test: {@code deploy/local/bench.sh} runs it. Arguments: the stand-in's classpath, HiveMQ's classpath,
 * the output folder.
 */
public final class BrokerBenchmark {
    private static final int CONNECTIONS = Integer.getInteger("bench.connections", 1000);
    private static final int WINDOW = Integer.getInteger("bench.window", 4);
    private static final int WARM_UP_SECONDS = Integer.getInteger("bench.warmup", 5);
    private static final int MEASURE_SECONDS = Integer.getInteger("bench.seconds", 15);
    private static final String HEAP = "-Xmx1g";
    private static final AwsCredentialsIdentity KEY = AwsCredentialsIdentity.create("AKIALOCALSESSION0001",
            "local-session-secret");

    private BrokerBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        String localClasspath = args[0];
        String hivemqClasspath = args[1];
        Path out = Files.createDirectories(Path.of(args[2]));

        int localPort = freePort();
        Path config = out.resolve("local.yaml");
        Files.writeString(config, "brokerPort: " + localPort + "\nhttpPort: " + freePort() + "\n");
        JsonObject local = run("tether-local", localPort, List.of("java", HEAP,
                "-Dlogback.configurationFile=" + out.resolve("logback-bench.xml"), "-cp", localClasspath,
                "dev.tether.local.LocalMain", config.toString()), true, out);

        int hivemqPort = freePort();
        JsonObject hivemq = run("hivemq-ce", hivemqPort, List.of("java", HEAP, "-cp", hivemqClasspath,
                "dev.tether.bench.HiveMqMain", Integer.toString(hivemqPort), out.resolve("hivemq").toString()),
                false, out);

        double ratio = local.getDouble("messagesPerSecond") / hivemq.getDouble("messagesPerSecond");
        JsonObject result = new JsonObject()
                .put("connections", CONNECTIONS)
                .put("window", WINDOW)
                .put("measuredSeconds", MEASURE_SECONDS)
                .put("brokers", new JsonArray().add(local).add(hivemq))
                .put("throughputRatio", ratio);
        Files.writeString(out.resolve("broker-bench.json"), result.encodePrettily());
        System.out.printf(Locale.ROOT, "throughput ratio tether-local / hivemq-ce: %.2f (target at least 0.5)%n",
                ratio);
    }

    private static JsonObject run(String name, int port, List<String> command, boolean presigned, Path out)
            throws Exception {
        System.out.printf("== %s: starting on port %d%n", name, port);
        Process broker = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(out.resolve(name + ".log").toFile())
                .start();
        Vertx vertx = Vertx.vertx();
        List<BenchClient> clients = new ArrayList<>();
        try {
            awaitPort(port, broker);
            long rssBefore = residentKiB(broker.pid());

            WebSocketClient wsClient = vertx.createWebSocketClient(new WebSocketClientOptions()
                    .setMaxConnections(CONNECTIONS * 2));
            MqttUrlPresigner presigner = MqttUrlPresigner.builder()
                    .scheme("ws")
                    .host("127.0.0.1:" + port)
                    .region("us-east-1")
                    .build();
            LatencyRecorder recorder = new LatencyRecorder();
            List<Context> contexts = new ArrayList<>();
            long connectStart = System.nanoTime();
            for (int first = 0; first < CONNECTIONS; first += 50) {
                List<Future<Void>> batch = new ArrayList<>();
                for (int i = first; i < Math.min(CONNECTIONS, first + 50); i++) {
                    BenchClient client = new BenchClient("bench-" + i, "bench/" + i,
                            "bench/" + (i + 1) % CONNECTIONS, recorder::record);
                    clients.add(client);
                    String uri = presigned ? pathAndQuery(presigner.presign(KEY)) : "/mqtt";
                    Context context = ((io.vertx.core.internal.VertxInternal) vertx).createEventLoopContext();
                    contexts.add(context);
                    batch.add(Future.<Void>future(p -> context.runOnContext(v -> client.start(wsClient, port, uri)
                            .onComplete(p))));
                }
                Future.all(batch).await(60, TimeUnit.SECONDS);
            }
            double connectSeconds = (System.nanoTime() - connectStart) / 1e9;
            Thread.sleep(2000);
            long rssIdle = residentKiB(broker.pid());

            for (int i = 0; i < clients.size(); i++) {
                BenchClient client = clients.get(i);
                contexts.get(i).runOnContext(v -> client.publish(WINDOW));
            }
            Thread.sleep(WARM_UP_SECONDS * 1000L);
            recorder.start();
            Thread.sleep(MEASURE_SECONDS * 1000L);
            long[] latencies = recorder.stop();
            for (int i = 0; i < clients.size(); i++) {
                BenchClient client = clients.get(i);
                contexts.get(i).runOnContext(v -> client.stop());
            }
            long rssLoaded = residentKiB(broker.pid());

            Arrays.sort(latencies);
            double perSecond = latencies.length / (double) MEASURE_SECONDS;
            JsonObject result = new JsonObject()
                    .put("broker", name)
                    .put("messagesPerSecond", Math.round(perSecond))
                    .put("latencyMillisP50", millis(latencies, 0.50))
                    .put("latencyMillisP90", millis(latencies, 0.90))
                    .put("latencyMillisP99", millis(latencies, 0.99))
                    .put("latencyMillisP999", millis(latencies, 0.999))
                    .put("connectSeconds", Math.round(connectSeconds * 100) / 100.0)
                    .put("rssKiBBefore", rssBefore)
                    .put("rssKiBIdleConnections", rssIdle)
                    .put("rssKiBUnderLoad", rssLoaded)
                    .put("kiBPerIdleConnection", Math.round((rssIdle - rssBefore) * 10.0 / CONNECTIONS) / 10.0);
            System.out.println(result.encode());
            return result;
        } finally {
            for (BenchClient client : clients) {
                client.close();
            }
            vertx.close().await(30, TimeUnit.SECONDS);
            broker.destroy();
            broker.waitFor(30, TimeUnit.SECONDS);
        }
    }

    private static double millis(long[] sorted, double quantile) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        long nanos = sorted[Math.min(sorted.length - 1, (int) (sorted.length * quantile))];
        return Math.round(nanos / 10_000.0) / 100.0;
    }

    private static String pathAndQuery(String url) {
        return url.substring(url.indexOf("/mqtt"));
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private static void awaitPort(int port, Process broker) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        while (System.nanoTime() < deadline) {
            if (!broker.isAlive()) {
                throw new IllegalStateException("the broker exited with " + broker.exitValue());
            }
            try (Socket socket = new Socket("127.0.0.1", port)) {
                return;
            } catch (IOException notYet) {
                Thread.sleep(100);
            }
        }
        throw new IllegalStateException("the broker did not listen on port " + port + " within 90 s");
    }

    /** Resident memory of a process, from {@code /proc/<pid>/status} (Linux). */
    private static long residentKiB(long pid) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        }
        return -1;
    }

    /** Latencies of the messages received while recording; any thread may record. */
    private static final class LatencyRecorder {
        private final AtomicLong count = new AtomicLong();
        private volatile boolean recording;
        private long[] values = new long[1 << 20];

        void start() {
            recording = true;
        }

        synchronized long[] stop() {
            recording = false;
            return Arrays.copyOf(values, (int) Math.min(count.get(), values.length));
        }

        void record(long nanos) {
            if (!recording) {
                return;
            }
            long index = count.getAndIncrement();
            synchronized (this) {
                if (index >= values.length) {
                    values = Arrays.copyOf(values, values.length * 2);
                }
                values[(int) index] = nanos;
            }
        }
    }
}
