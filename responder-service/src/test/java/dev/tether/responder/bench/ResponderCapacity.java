package dev.tether.responder.bench;

import dev.tether.channel.ChannelIds;
import dev.tether.channel.ChannelSecret;
import dev.tether.mqtt.MqttClientOptions;
import dev.tether.mqtt.MqttReceivedMessage;
import dev.tether.mqtt.MqttWebSocketClient;
import dev.tether.sigv4.MqttUrlPresigner;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;

/**
 * How many sessions one container responder JVM ({@code -Xmx1g}) holds, all answering: opens sessions in steps, and
 * after each step sends one request on every open session and counts the answers, and reads the responder's heap
 * (its {@code /metrics}, after a full GC through {@code jcmd}) and resident memory ({@code /proc}).
 *
 * <p>The load driver speaks for every session's client over a few connections of its own: it publishes the session
 * messages and requests, and a shared subscription to {@code tether/+/response} takes the answers. So the broker
 * holds one connection per session, the responder's, plus the driver's few. Two brokers: {@code stand-in}, Tether's
 * IoT stand-in with SigV4 checked, which holds three file descriptors per connection (the WebSocket and both ends
 * of its loopback link to the MQTT server), so with this machine's limit of 20,000 descriptors a process it stops
 * near 6,600 sessions; and {@code mosquitto}, Debian's Mosquitto 2.0 started by {@code ../shared/peers/start-broker.sh}
 * (one descriptor a connection, no signature checks), to reach 10,000.
 *
 * <p>Arguments: the classpath, an output folder, the peers folder. System properties: {@code capacity.broker}
 * ({@code stand-in} or {@code mosquitto}), {@code capacity.sessions} (2000), {@code capacity.step} (500),
 * {@code capacity.concurrency} (50 sessions opened at a time), {@code capacity.drivers} (16 driver connections).
 */
public final class ResponderCapacity {
    private static final String SECRET = "bench channel secret, at least thirty-two bytes long";
    private static final AwsCredentialsIdentity CLIENT_KEY = AwsCredentialsIdentity.create("AKIALOCALSESSION0001",
            "local-session-secret");
    private static final AwsCredentialsIdentity RESPONDER_KEY = AwsCredentialsIdentity.create(
            "AKIALOCALRESPONDER01", "local-responder-secret");
    private static final Pattern HEAP = Pattern.compile("jvm_memory_used_bytes\\{area=\"heap\",id=\"[^\"]+\"\\} "
            + "([0-9.E+]+)");

    private static final AtomicLong REQUEST_IDS = new AtomicLong();
    private static final String ANSWERS_FILTER = "$share/capacity/tether/+/response";

    private final Vertx vertx = Vertx.vertx();
    private final ChannelIds channelIds = new ChannelIds(ChannelSecret.fromUtf8(SECRET), Clock.systemUTC(),
            new SecureRandom());
    private final List<Process> processes = new ArrayList<>();
    private final List<Long> brokerPids = new ArrayList<>();
    private final Map<String, Session> sessionsByChannel = new ConcurrentHashMap<>();
    private final List<MqttWebSocketClient> drivers = new ArrayList<>();
    private final HttpClient http = HttpClient.newHttpClient();

    private ResponderCapacity() {
    }

    public static void main(String[] args) throws Exception {
        ResponderCapacity capacity = new ResponderCapacity();
        Runtime.getRuntime().addShutdownHook(new Thread(capacity::stopAll));
        try {
            capacity.run(args[0], Path.of(args[1]), Path.of(args[2]));
        } finally {
            capacity.stopAll();
        }
        System.exit(0);
    }

    private void run(String classpath, Path out, Path peers) throws Exception {
        String broker = System.getProperty("capacity.broker", "stand-in");
        int target = Integer.getInteger("capacity.sessions", 2000);
        int step = Integer.getInteger("capacity.step", 500);
        int concurrency = Integer.getInteger("capacity.concurrency", 50);
        int driverCount = Integer.getInteger("capacity.drivers", 16);
        Files.createDirectories(out);
        int brokerPort = freePort();
        int metricsPort = freePort();
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String brokerUrl = "ws://127.0.0.1:" + brokerPort + "/mqtt";
        MqttUrlPresigner presigner = MqttUrlPresigner.builder()
                .scheme("ws")
                .host("127.0.0.1:" + brokerPort)
                .region("us-east-1")
                .expires(Duration.ofHours(1))
                .build();

        switch (broker) {
            case "stand-in" -> {
                Path config = out.resolve("stand-in.yaml");
                Files.writeString(config, "brokerPort: " + brokerPort + "\nhttpPort: " + freePort() + "\n");
                start("stand-in", new ProcessBuilder(java, "-Xmx3g", "-cp", classpath, "dev.tether.local.LocalMain",
                        config.toString()), Map.of(), "stand-ins listening", out);
            }
            case "mosquitto" -> startMosquitto(peers, brokerPort, out);
            default -> throw new IllegalArgumentException("capacity.broker is " + broker
                    + "; allowed: stand-in, mosquitto");
        }
        Process responder = start("responder", new ProcessBuilder(java, "-Xmx1g", "-cp", classpath,
                "dev.tether.responder.container.ResponderMain"), Map.of(
                        "AWS_REGION", "us-east-1",
                        "TETHER_ENDPOINT", brokerUrl,
                        "TETHER_CHANNEL_SECRET", SECRET,
                        "TETHER_IDLE_TIMEOUT_SECONDS", "3600",
                        "TETHER_CLAIM_WINDOW_MILLIS", "200",
                        "TETHER_RESPONDER_HTTP_PORT", Integer.toString(metricsPort),
                        "AWS_ACCESS_KEY_ID", RESPONDER_KEY.accessKeyId(),
                        "AWS_SECRET_ACCESS_KEY", RESPONDER_KEY.secretAccessKey()),
                "responder running", out);
        connectDrivers(presigner, driverCount);
        long baseHeap = heapAfterGc(responder, metricsPort);
        long baseRss = rss(responder);
        System.out.printf(Locale.ROOT, "broker %s, %d driver connections%n", broker, driverCount);
        System.out.printf(Locale.ROOT, "%8s %10s %10s %12s %12s %10s%n", "sessions", "answering", "open s", "heap MB",
                "RSS MB", "heap/sess");

        List<Session> sessions = new ArrayList<>();
        while (sessions.size() < target) {
            long opening = System.nanoTime();
            int goal = Math.min(target, sessions.size() + step);
            while (sessions.size() < goal) {
                List<Future<Session>> batch = new ArrayList<>();
                for (int i = 0; i < concurrency && sessions.size() + batch.size() < goal; i++) {
                    batch.add(open(drivers.get((sessions.size() + i) % drivers.size())));
                }
                for (Future<Session> opened : batch) {
                    try {
                        sessions.add(opened.await(60, TimeUnit.SECONDS));
                    } catch (RuntimeException e) {
                        System.out.println("a session did not open: " + e);
                        report(sessions, responder, metricsPort, baseHeap, baseRss, opening);
                        return;
                    }
                }
            }
            report(sessions, responder, metricsPort, baseHeap, baseRss, opening);
        }
    }

    /** The driver's connections; each takes a share of the answers of all sessions. */
    private void connectDrivers(MqttUrlPresigner presigner, int count) throws TimeoutException {
        for (int i = 0; i < count; i++) {
            MqttWebSocketClient driver = MqttWebSocketClient.create(vertx, MqttClientOptions.of("capacity-driver-" + i))
                    .messageHandler(this::onAnswer);
            driver.connect(presigner.presign(CLIENT_KEY))
                    .compose(present -> driver.subscribe(ANSWERS_FILTER, 1))
                    .await(30, TimeUnit.SECONDS);
            drivers.add(driver);
        }
    }

    private void onAnswer(MqttReceivedMessage message) {
        String channelId = message.topic().split("/")[1];
        Session session = sessionsByChannel.get(channelId);
        if (session == null) {
            return;
        }
        String payload = message.payload().toString(StandardCharsets.UTF_8);
        if (payload.contains("\"ready\"")) {
            session.ready().tryComplete();
        } else if (payload.contains("PONG")) {
            session.answers().incrementAndGet();
        }
    }

    private void startMosquitto(Path peers, int port, Path out) throws Exception {
        ProcessBuilder builder = new ProcessBuilder("bash", peers.resolve("start-broker.sh").toString())
                .redirectError(ProcessBuilder.Redirect.INHERIT);
        builder.environment().put("MQTT_WS_PORT", Integer.toString(port));
        builder.environment().put("MQTT_TCP_PORT", Integer.toString(freePort()));
        builder.environment().put("BROKER_LOGFILE", out.resolve("mosquitto.log").toString());
        Process script = builder.start();
        String pid = new String(script.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        if (script.waitFor() != 0 || pid.isEmpty()) {
            throw new IllegalStateException("mosquitto did not start; see " + out.resolve("mosquitto.log"));
        }
        brokerPids.add(Long.parseLong(pid));
    }

    private void stopAll() {
        processes.forEach(Process::destroy);
        brokerPids.forEach(pid -> ProcessHandle.of(pid).ifPresent(ProcessHandle::destroy));
    }

    private void report(List<Session> sessions, Process responder, int metricsPort, long baseHeap, long baseRss,
            long opening) throws Exception {
        double openSeconds = (System.nanoTime() - opening) / 1e9;
        int answering = answering(sessions);
        long heap = heapAfterGc(responder, metricsPort);
        long rss = rss(responder);
        System.out.printf(Locale.ROOT, "%8d %10d %10.1f %12.1f %12.1f %8.1f KB%n", sessions.size(), answering,
                openSeconds, heap / 1e6, rss / 1e6, (heap - baseHeap) / 1e3 / Math.max(1, sessions.size()));
    }

    private Future<Session> open(MqttWebSocketClient driver) {
        String channelId = channelIds.issue(Duration.ofMinutes(10)).value();
        Session session = new Session(channelId, driver, Promise.promise(), new AtomicInteger());
        sessionsByChannel.put(channelId, session);
        return driver.publish("tether/session", new JsonObject().put("channelId", channelId).toBuffer(), 1, false)
                .compose(published -> session.ready().future().timeout(30, TimeUnit.SECONDS))
                .map(session);
    }

    private static int answering(List<Session> sessions) throws InterruptedException {
        List<Integer> before = new ArrayList<>();
        for (Session session : sessions) {
            before.add(session.answers().get());
            // A fresh id each time: the responder answers a repeated id once only.
            session.client().publish("tether/" + session.channelId() + "/request",
                    new JsonObject().put("id", REQUEST_IDS.incrementAndGet()).toBuffer(), 1, false);
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        int answering = 0;
        while (System.nanoTime() < deadline) {
            answering = 0;
            for (int i = 0; i < sessions.size(); i++) {
                if (sessions.get(i).answers().get() > before.get(i)) {
                    answering++;
                }
            }
            if (answering == sessions.size()) {
                break;
            }
            Thread.sleep(200);
        }
        return answering;
    }

    private long heapAfterGc(Process responder, int metricsPort) throws Exception {
        new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(),
                Long.toString(responder.pid()), "GC.run").redirectErrorStream(true).start().waitFor(60,
                TimeUnit.SECONDS);
        String metrics = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + metricsPort
                + "/metrics")).build(), HttpResponse.BodyHandlers.ofString()).body();
        Matcher heap = HEAP.matcher(metrics);
        double used = 0;
        while (heap.find()) {
            used += Double.parseDouble(heap.group(1));
        }
        return (long) used;
    }

    private static long rss(Process process) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc", Long.toString(process.pid()), "status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
            }
        }
        return -1;
    }

    private Process start(String name, ProcessBuilder builder, Map<String, String> env, String readyLine, Path out)
            throws Exception {
        Files.writeString(out.resolve("quiet.xml"), "<configuration><appender name=\"O\" "
                + "class=\"ch.qos.logback.core.ConsoleAppender\"><encoder><pattern>%d %-5level %logger{20} - %msg%n"
                + "</pattern></encoder></appender><logger name=\"dev.tether\" level=\"WARN\"/>"
                + "<logger name=\"dev.tether.responder.container\" level=\"INFO\"/>"
                + "<logger name=\"dev.tether.local.LocalAws\" level=\"INFO\"/>"
                + "<root level=\"WARN\"><appender-ref ref=\"O\"/></root></configuration>");
        builder.command().add(1, "-Dlogback.configurationFile=" + out.resolve("quiet.xml"));
        builder.environment().clear();
        builder.environment().putAll(env);
        builder.redirectErrorStream(true);
        Process process = builder.start();
        processes.add(process);
        Path log = out.resolve(name + ".log");
        Promise<Void> ready = Promise.promise();
        Thread reader = new Thread(() -> {
            try (BufferedReader input = new BufferedReader(new InputStreamReader(process.getInputStream(),
                    StandardCharsets.UTF_8))) {
                String line;
                while ((line = input.readLine()) != null) {
                    if (line.contains(readyLine)) {
                        ready.tryComplete();
                    }
                    Files.writeString(log, line + "\n", StandardCharsets.UTF_8,
                            java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
                }
            } catch (IOException | UncheckedIOException e) {
                // The process ended.
            }
        }, name + "-output");
        reader.setDaemon(true);
        reader.start();
        ready.future().await(60, TimeUnit.SECONDS);
        return process;
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private record Session(String channelId, MqttWebSocketClient client, Promise<Void> ready, AtomicInteger answers) {
    }
}
