package dev.tether.mqtt.bench;

import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt3.Mqtt3AsyncClient;
import dev.tether.mqtt.HiveMqBroker;
import dev.tether.mqtt.MqttClientOptions;
import dev.tether.mqtt.MqttWebSocketClient;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.net.URI;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import javax.net.SocketFactory;
import org.eclipse.paho.client.mqttv3.IMqttDeliveryToken;
import org.eclipse.paho.client.mqttv3.MqttAsyncClient;
import org.eclipse.paho.client.mqttv3.MqttCallback;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;

/**
 * Compares Tether's MQTT-over-WebSocket client with two third-party clients, the HiveMQ MQTT client (Netty-based)
 * and Eclipse Paho, on one HiveMQ CE broker, in the same run, on the same workloads:
 *
 * <ul>
 *   <li>round trip: one QoS 1 message at a time, published to a topic the same client subscribes to; the latency is
 *       from publish to receipt through the broker (p50, p90, p99);</li>
 *   <li>throughput: QoS 1 messages with up to 100 awaiting PUBACK (AWS IoT Core's window), each delivered back to
 *       the same client; messages per second from the first publish to the last receipt.</li>
 * </ul>
 *
 * <p>Each client warms up on the same workload first; then the clients take turns, in {@value #ROUNDS} rounds of a
 * quarter of each workload. Run it with {@code scripts/bench-mqtt.sh}; arguments:
 * round trips, throughput messages, payload bytes.
 *
 * <p>Threading: Tether's client runs on one Vert.x event loop and is only waited for from the main thread; the
 * other clients run on their own threads and are driven from the main thread.
 */
public final class MqttRoundTripBench {
    private static final int IN_FLIGHT = 100;
    private static final int ROUNDS = 4;
    private static final long TIMEOUT_SECONDS = 60;

    private MqttRoundTripBench() {
    }

    /** Results of one client on both workloads: round-trip latencies, and messages moved in how long. */
    record Result(String client, long messages, long throughputNanos, long[] latencyNanos) {
        double messagesPerSecond() {
            return messages / (throughputNanos / 1e9);
        }

        /** This result and another of the same client, as if measured in one go. */
        Result plus(Result other) {
            long[] latencies = Arrays.copyOf(latencyNanos, latencyNanos.length + other.latencyNanos.length);
            System.arraycopy(other.latencyNanos, 0, latencies, latencyNanos.length, other.latencyNanos.length);
            return new Result(client, messages + other.messages, throughputNanos + other.throughputNanos, latencies);
        }

        double percentileMillis(double percentile) {
            long[] sorted = latencyNanos.clone();
            Arrays.sort(sorted);
            int index = (int) Math.ceil(percentile / 100.0 * sorted.length) - 1;
            return sorted[Math.max(0, index)] / 1_000_000.0;
        }
    }

    public static void main(String[] args) throws Exception {
        int roundTrips = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
        int messages = args.length > 1 ? Integer.parseInt(args[1]) : 20000;
        int payloadBytes = args.length > 2 ? Integer.parseInt(args[2]) : 256;
        byte[] payload = new byte[payloadBytes];
        Arrays.fill(payload, (byte) 'x');

        Vertx vertx = Vertx.vertx();
        try (HiveMqBroker broker = HiveMqBroker.start()) {
            String url = broker.url();
            tether(vertx, url, "warm-tether", roundTrips / 2, messages / 4, payload);
            hiveMqClient(url, "warm-hivemq", roundTrips / 2, messages / 4, payload);
            paho(url, "warm-paho", roundTrips / 2, messages / 4, payload);

            // The clients take turns in rounds, each round starting with the next client, so that a burst of load
            // from elsewhere on the machine, or the garbage the previous client's throughput run left, falls on all
            // of them rather than on whichever happened to run then; a full collection before each turn starts
            // every client with an empty young generation.
            List<Turn> turns = List.of(
                    () -> tether(vertx, url, "bench-tether", roundTrips / ROUNDS, messages / ROUNDS, payload),
                    () -> hiveMqClient(url, "bench-hivemq", roundTrips / ROUNDS, messages / ROUNDS, payload),
                    () -> paho(url, "bench-paho", roundTrips / ROUNDS, messages / ROUNDS, payload));
            Result[] totals = new Result[turns.size()];
            for (int round = 0; round < ROUNDS; round++) {
                for (int i = 0; i < turns.size(); i++) {
                    int client = (round + i) % turns.size();
                    System.gc();
                    Result result = turns.get(client).run();
                    totals[client] = totals[client] == null ? result : totals[client].plus(result);
                }
            }
            Result tether = totals[0];
            Result hiveMq = totals[1];
            Result paho = totals[2];

            System.out.printf(Locale.ROOT, "workload: %d round trips, %d throughput messages, %d-byte payload, "
                    + "QoS 1, HiveMQ CE over WebSocket on loopback%n", roundTrips, messages, payloadBytes);
            print(tether);
            print(hiveMq);
            print(paho);
            printRatio(tether, hiveMq);
            printRatio(tether, paho);
        } finally {
            vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        }
    }

    /** One client's measured turn in a round. */
    @FunctionalInterface
    private interface Turn {
        Result run() throws Exception;
    }

    private static void printRatio(Result ours, Result theirs) {
        System.out.printf(Locale.ROOT, "ratio tether/%s: throughput %.2fx, p50 %.2fx, p90 %.2fx, p99 %.2fx%n",
                theirs.client(), ours.messagesPerSecond() / theirs.messagesPerSecond(),
                ours.percentileMillis(50) / theirs.percentileMillis(50),
                ours.percentileMillis(90) / theirs.percentileMillis(90),
                ours.percentileMillis(99) / theirs.percentileMillis(99));
    }

    private static void print(Result result) {
        System.out.printf(Locale.ROOT, "%-7s throughput %9.0f msg/s   round trip p50 %6.3f ms  p90 %6.3f ms  "
                        + "p99 %6.3f ms%n", result.client(), result.messagesPerSecond(),
                result.percentileMillis(50), result.percentileMillis(90), result.percentileMillis(99));
    }

    private static Result tether(Vertx vertx, String url, String clientId, int roundTrips, int messages,
            byte[] payload) throws Exception {
        AtomicReference<Runnable> onMessage = new AtomicReference<>(() -> { });
        MqttWebSocketClient client = MqttWebSocketClient.create(vertx, MqttClientOptions.of(clientId))
                .messageHandler(message -> onMessage.get().run());
        String topic = "bench/" + clientId;
        join(client.connect(url)
                .compose(sessionPresent -> client.subscribe(topic, 1)));
        Buffer body = Buffer.buffer(payload);

        long[] latencies = new long[roundTrips];
        Promise<Void> roundTripsDone = Promise.promise();
        AtomicInteger completed = new AtomicInteger();
        long[] sentAt = new long[1];
        onMessage.set(() -> {
            int index = completed.getAndIncrement();
            latencies[index] = System.nanoTime() - sentAt[0];
            if (index + 1 == roundTrips) {
                roundTripsDone.complete();
            } else {
                sentAt[0] = System.nanoTime();
                client.publish(topic, body, 1, false);
            }
        });
        vertx.runOnContext(start -> {
            sentAt[0] = System.nanoTime();
            client.publish(topic, body, 1, false);
        });
        join(roundTripsDone.future());

        Promise<Void> allReceived = Promise.promise();
        Promise<Void> allAcknowledged = Promise.promise();
        AtomicInteger received = new AtomicInteger();
        AtomicInteger published = new AtomicInteger();
        AtomicInteger acknowledged = new AtomicInteger();
        onMessage.set(() -> {
            if (received.incrementAndGet() == messages) {
                allReceived.complete();
            }
        });
        long started = System.nanoTime();
        vertx.runOnContext(start -> {
            for (int i = 0; i < IN_FLIGHT && i < messages; i++) {
                publishNext(client, topic, body, published, acknowledged, messages, allAcknowledged);
            }
        });
        join(Future.all(allReceived.future(), allAcknowledged.future()));
        long elapsed = System.nanoTime() - started;
        join(client.disconnect());
        return new Result("tether", messages, elapsed, latencies);
    }

    /** Publishes one message and, when its PUBACK comes, the next: at most IN_FLIGHT await PUBACK. */
    private static void publishNext(MqttWebSocketClient client, String topic, Buffer body, AtomicInteger published,
            AtomicInteger acknowledged, int messages, Promise<Void> allAcknowledged) {
        if (published.incrementAndGet() > messages) {
            return;
        }
        client.publish(topic, body, 1, false)
                .onSuccess(done -> {
                    if (acknowledged.incrementAndGet() == messages) {
                        allAcknowledged.complete();
                    }
                    publishNext(client, topic, body, published, acknowledged, messages, allAcknowledged);
                })
                .onFailure(allAcknowledged::tryFail);
    }

    private static Result paho(String url, String clientId, int roundTrips, int messages, byte[] payload)
            throws Exception {
        MqttAsyncClient client = new MqttAsyncClient(url, clientId, new MemoryPersistence());
        AtomicReference<Runnable> onMessage = new AtomicReference<>(() -> { });
        Semaphore window = new Semaphore(IN_FLIGHT);
        client.setCallback(new MqttCallback() {
            @Override
            public void connectionLost(Throwable cause) {
                System.err.println("paho connection lost: " + cause);
            }

            @Override
            public void messageArrived(String topic, MqttMessage message) {
                onMessage.get().run();
            }

            @Override
            public void deliveryComplete(IMqttDeliveryToken token) {
                window.release();
            }
        });
        MqttConnectOptions options = new MqttConnectOptions();
        options.setCleanSession(true);
        options.setMaxInflight(IN_FLIGHT);
        // Paho leaves Nagle's algorithm on, which with delayed ACKs adds about 40 ms to each round trip; the
        // comparison is with Paho at its best, so its sockets get TCP_NODELAY as the other clients' have.
        options.setSocketFactory(new NoDelaySocketFactory());
        client.connect(options).waitForCompletion();
        String topic = "bench/" + clientId;
        client.subscribe(topic, 1).waitForCompletion();

        long[] latencies = new long[roundTrips];
        for (int i = 0; i < roundTrips; i++) {
            CompletableFuture<Long> arrived = new CompletableFuture<>();
            onMessage.set(() -> arrived.complete(System.nanoTime()));
            window.acquire();
            long sent = System.nanoTime();
            client.publish(topic, payload, 1, false);
            latencies[i] = arrived.get(TIMEOUT_SECONDS, TimeUnit.SECONDS) - sent;
        }

        CompletableFuture<Void> allReceived = new CompletableFuture<>();
        AtomicInteger received = new AtomicInteger();
        onMessage.set(() -> {
            if (received.incrementAndGet() == messages) {
                allReceived.complete(null);
            }
        });
        long started = System.nanoTime();
        for (int i = 0; i < messages; i++) {
            window.acquire();
            publishWithRetry(client, topic, payload);
        }
        allReceived.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        window.acquire(IN_FLIGHT);
        long elapsed = System.nanoTime() - started;
        client.disconnect().waitForCompletion();
        client.close();
        return new Result("paho", messages, elapsed, latencies);
    }

    private static Result hiveMqClient(String url, String clientId, int roundTrips, int messages, byte[] payload)
            throws Exception {
        URI address = URI.create(url);
        Mqtt3AsyncClient client = com.hivemq.client.mqtt.MqttClient.builder()
                .useMqttVersion3()
                .identifier(clientId)
                .serverHost(address.getHost())
                .serverPort(address.getPort())
                .webSocketConfig()
                .serverPath(address.getPath().substring(1))
                .subprotocol("mqtt")
                .applyWebSocketConfig()
                .buildAsync();
        client.connectWith()
                .cleanSession(true)
                .send()
                .get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        String topic = "bench/" + clientId;
        AtomicReference<Runnable> onMessage = new AtomicReference<>(() -> { });
        client.subscribeWith()
                .topicFilter(topic)
                .qos(MqttQos.AT_LEAST_ONCE)
                .callback(publish -> onMessage.get().run())
                .send()
                .get(TIMEOUT_SECONDS, TimeUnit.SECONDS);

        long[] latencies = new long[roundTrips];
        for (int i = 0; i < roundTrips; i++) {
            CompletableFuture<Long> arrived = new CompletableFuture<>();
            onMessage.set(() -> arrived.complete(System.nanoTime()));
            long sent = System.nanoTime();
            client.publishWith().topic(topic).qos(MqttQos.AT_LEAST_ONCE).payload(payload).send();
            latencies[i] = arrived.get(TIMEOUT_SECONDS, TimeUnit.SECONDS) - sent;
        }

        CompletableFuture<Void> allReceived = new CompletableFuture<>();
        AtomicInteger received = new AtomicInteger();
        onMessage.set(() -> {
            if (received.incrementAndGet() == messages) {
                allReceived.complete(null);
            }
        });
        Semaphore window = new Semaphore(IN_FLIGHT);
        long started = System.nanoTime();
        for (int i = 0; i < messages; i++) {
            window.acquire();
            client.publishWith().topic(topic).qos(MqttQos.AT_LEAST_ONCE).payload(payload).send()
                    .whenComplete((acknowledged, failure) -> window.release());
        }
        allReceived.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        window.acquire(IN_FLIGHT);
        long elapsed = System.nanoTime() - started;
        client.disconnect().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        return new Result("hivemq", messages, elapsed, latencies);
    }

    /**
     * Paho counts a message in flight until its own bookkeeping after deliveryComplete, so a publish right after a
     * release may still find the window full; it is retried rather than dropped.
     */
    private static void publishWithRetry(MqttAsyncClient client, String topic, byte[] payload) throws Exception {
        while (true) {
            try {
                client.publish(topic, payload, 1, false);
                return;
            } catch (MqttException e) {
                if (e.getReasonCode() != MqttException.REASON_CODE_MAX_INFLIGHT) {
                    throw e;
                }
                Thread.onSpinWait();
            }
        }
    }

    /** Plain sockets with TCP_NODELAY set. */
    private static final class NoDelaySocketFactory extends SocketFactory {
        @Override
        public Socket createSocket() throws IOException {
            Socket socket = new Socket();
            socket.setTcpNoDelay(true);
            return socket;
        }

        @Override
        public Socket createSocket(String host, int port) throws IOException {
            return configured(new Socket(host, port));
        }

        @Override
        public Socket createSocket(String host, int port, InetAddress localHost, int localPort) throws IOException {
            return configured(new Socket(host, port, localHost, localPort));
        }

        @Override
        public Socket createSocket(InetAddress host, int port) throws IOException {
            return configured(new Socket(host, port));
        }

        @Override
        public Socket createSocket(InetAddress address, int port, InetAddress localAddress, int localPort)
                throws IOException {
            return configured(new Socket(address, port, localAddress, localPort));
        }

        private static Socket configured(Socket socket) throws IOException {
            socket.setTcpNoDelay(true);
            return socket;
        }
    }

    private static <T> T join(Future<T> future) throws Exception {
        return future.toCompletionStage().toCompletableFuture().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
    }
}
