package dev.tether.mqtt;

import static dev.tether.mqtt.MqttWebSocketClientTest.await;
import static dev.tether.mqtt.MqttWebSocketClientTest.awaitFailure;
import static dev.tether.mqtt.MqttWebSocketClientTest.delay;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.junit5.VertxExtension;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The client against HiveMQ CE, a real MQTT broker, over its WebSocket listener, with Eclipse Paho on the other
 * end of every message.
 */
@ExtendWith(VertxExtension.class)
class MqttWebSocketClientIT {
    private static HiveMqBroker broker;

    @BeforeAll
    static void startBroker() {
        broker = HiveMqBroker.start();
    }

    @AfterAll
    static void stopBroker() {
        broker.close();
    }

    @Test
    @DisplayName("QoS 1 publishes, one of 100 KB cut into 1 KB frames, reach Paho byte for byte and in order")
    void ourPublishesReachPaho(Vertx vertx) throws Exception {
        byte[] large = new byte[100 * 1024];
        new Random(3).nextBytes(large);
        try (PahoPeer paho = PahoPeer.connect(broker.url(), "paho-receiver")) {
            paho.subscribe("it/out/#");
            paho.expect(21);
            MqttWebSocketClient client = MqttWebSocketClient.create(vertx, MqttClientOptions.of("ours-sender")
                    .withMaxFrameBytes(1024));
            await(client.connect(broker.url()));

            List<Future<Void>> publishes = new ArrayList<>();
            publishes.add(client.publish("it/out/large", Buffer.buffer(large), 1, false));
            for (int i = 0; i < 20; i++) {
                publishes.add(client.publish("it/out/small", Buffer.buffer("message " + i), 1, false));
            }
            await(Future.all(publishes));

            assertThat(paho.awaitExpected()).isTrue();
            assertThat(paho.received.get(0).payload()).isEqualTo(large);
            assertThat(paho.received.subList(1, 21))
                    .extracting(message -> new String(message.payload(), StandardCharsets.UTF_8))
                    .containsExactly(numbered("message ", 20));
            await(client.disconnect());
        }
    }

    @Test
    @DisplayName("Paho's QoS 1 messages reach the handler, each acknowledged: a resumed session gets none again")
    void pahoPublishesReachOursAndAreAcknowledged(Vertx vertx) throws Exception {
        MqttClientOptions options = MqttClientOptions.of("ours-receiver").withCleanSession(false);
        List<String> received = new CopyOnWriteArrayList<>();
        MqttWebSocketClient client = MqttWebSocketClient.create(vertx, options)
                .messageHandler(message -> received.add(message.payload().toString(StandardCharsets.UTF_8)));
        await(client.connect(broker.url()));
        await(client.subscribe("it/in/#", 1));

        try (PahoPeer paho = PahoPeer.connect(broker.url(), "paho-sender")) {
            for (int i = 0; i < 50; i++) {
                paho.publish("it/in/" + i, ("message " + i).getBytes(StandardCharsets.UTF_8), 1);
            }
        }
        await(until(vertx, () -> received.size() >= 50));
        await(client.disconnect());
        assertThat(received).containsExactly(numbered("message ", 50));

        List<String> redelivered = new CopyOnWriteArrayList<>();
        MqttWebSocketClient resumed = MqttWebSocketClient.create(vertx, options)
                .messageHandler(message -> redelivered.add(message.topic()));
        assertThat(await(resumed.connect(broker.url()))).isTrue();
        await(delay(vertx, 500));
        assertThat(redelivered).isEmpty();
        await(resumed.disconnect());
    }

    @Test
    @DisplayName("A persistent session gets every QoS 1 message published while it was away, none lost")
    void persistentSessionRedeliversWithoutLoss(Vertx vertx) throws Exception {
        MqttClientOptions options = MqttClientOptions.of("ours-away").withCleanSession(false);
        MqttWebSocketClient first = MqttWebSocketClient.create(vertx, options);
        await(first.connect(broker.url()));
        await(first.subscribe("it/away/#", 1));
        await(first.disconnect());

        try (PahoPeer paho = PahoPeer.connect(broker.url(), "paho-while-away")) {
            for (int i = 0; i < 60; i++) {
                paho.publish("it/away/" + i, ("message " + i).getBytes(StandardCharsets.UTF_8), 1);
            }
        }

        List<String> received = new CopyOnWriteArrayList<>();
        MqttWebSocketClient back = MqttWebSocketClient.create(vertx, options)
                .messageHandler(message -> received.add(message.payload().toString(StandardCharsets.UTF_8)));
        assertThat(await(back.connect(broker.url()))).isTrue();
        await(until(vertx, () -> received.size() >= 60));

        assertThat(received).containsExactlyInAnyOrder(numbered("message ", 60));
        await(back.disconnect());
    }

    @Test
    @DisplayName("500 QoS 1 publishes in a burst: never more than 100 in flight, all acknowledged, all delivered")
    void burstStaysWithinInFlightWindow(Vertx vertx) throws Exception {
        try (PahoPeer paho = PahoPeer.connect(broker.url(), "paho-burst")) {
            paho.subscribe("it/burst");
            paho.expect(500);
            MqttWebSocketClient client = MqttWebSocketClient.create(vertx, MqttClientOptions.of("ours-burst"));
            await(client.connect(broker.url()));
            AtomicInteger mostInFlight = new AtomicInteger();

            List<Future<Void>> publishes = new ArrayList<>();
            for (int i = 0; i < 500; i++) {
                publishes.add(client.publish("it/burst", Buffer.buffer("m" + i), 1, false)
                        .onComplete(done -> mostInFlight.accumulateAndGet(client.inFlightCount(), Math::max)));
            }
            mostInFlight.accumulateAndGet(client.inFlightCount(), Math::max);
            await(Future.all(publishes));

            assertThat(paho.awaitExpected()).isTrue();
            assertThat(paho.received).hasSize(500);
            assertThat(mostInFlight.get()).isLessThanOrEqualTo(100);
            await(client.disconnect());
        }
    }

    @Test
    @DisplayName("The will reaches Paho when the connection ends without DISCONNECT (here: a client-id takeover)")
    void willIsPublishedWhenConnectionIsLost(Vertx vertx) throws Exception {
        try (PahoPeer watcher = PahoPeer.connect(broker.url(), "paho-will-watcher")) {
            watcher.subscribe("it/will/#");
            watcher.expect(1);
            MqttWebSocketClient client = MqttWebSocketClient.create(vertx, MqttClientOptions.of("ours-will")
                    .withWill(new MqttWill("it/will/ours", Buffer.buffer("{\"type\":\"end\"}"), 1, false)));
            await(client.connect(broker.url()));

            try (PahoPeer usurper = PahoPeer.connect(broker.url(), "ours-will")) {
                assertThat(watcher.awaitExpected()).isTrue();
            }

            assertThat(watcher.received.get(0).topic()).isEqualTo("it/will/ours");
            assertThat(new String(watcher.received.get(0).payload(), StandardCharsets.UTF_8))
                    .isEqualTo("{\"type\":\"end\"}");
            await(until(vertx, () -> !client.isConnected()));
        }
    }

    @Test
    @DisplayName("A subscription the broker's policy denies fails with SubscriptionRefused (SUBACK 0x80)")
    void deniedSubscriptionIsRefused(Vertx vertx) throws Exception {
        MqttWebSocketClient client = MqttWebSocketClient.create(vertx, MqttClientOptions.of("ours-denied"));
        await(client.connect(broker.url()));

        Throwable failure = awaitFailure(client.subscribe(HiveMqBroker.DENIED_FILTER_PREFIX + "secrets", 1));

        assertThat(failure).isInstanceOf(SubscriptionRefused.class);
        assertThat(await(client.subscribe("it/allowed", 1))).isEqualTo(1);
        await(client.disconnect());
    }

    @Test
    @DisplayName("A CONNECT the broker refuses fails connect with ConnectionRefused and return code 5")
    void refusedConnectCarriesReturnCode(Vertx vertx) throws Exception {
        MqttWebSocketClient client = MqttWebSocketClient.create(vertx, MqttClientOptions.of("ours-refused")
                .withCredentials(HiveMqBroker.REFUSED_USER, "password"));

        Throwable failure = awaitFailure(client.connect(broker.url()));

        assertThat(failure).isInstanceOf(ConnectionRefused.class);
        assertThat(((ConnectionRefused) failure).returnCode()).isEqualTo(5);
        assertThat(failure.getMessage()).doesNotContain("password");
    }

    @Test
    @DisplayName("A URL with a long SigV4-style query reaches the broker byte for byte and carries messages")
    void longSignedQueryReachesBrokerVerbatim(Vertx vertx) throws Exception {
        String url = broker.signedUrl();
        List<String> received = new CopyOnWriteArrayList<>();
        MqttWebSocketClient client = MqttWebSocketClient.create(vertx, MqttClientOptions.of("ours-signed"))
                .messageHandler(message -> received.add(message.payload().toString(StandardCharsets.UTF_8)));
        await(client.connect(url));
        await(client.subscribe("it/signed", 1));

        try (PahoPeer paho = PahoPeer.connect(broker.url(), "paho-signed")) {
            paho.publish("it/signed", "through".getBytes(StandardCharsets.UTF_8), 1);
        }

        await(until(vertx, () -> received.size() >= 1));
        assertThat(received).containsExactly("through");
        await(client.disconnect());

        // The listener really compares: the same URL with the query decoded once is not upgraded.
        String decoded = url.replace("%2F", "/");
        MqttWebSocketClient altered = MqttWebSocketClient.create(vertx, MqttClientOptions.of("ours-altered")
                .withConnectTimeout(java.time.Duration.ofSeconds(2)));
        assertThat(awaitFailure(altered.connect(decoded))).isInstanceOf(ConnectionLost.class);
    }

    static String[] numbered(String prefix, int count) {
        String[] texts = new String[count];
        for (int i = 0; i < count; i++) {
            texts[i] = prefix + i;
        }
        return texts;
    }

    /** Completes once the condition holds, checked every 20 ms on a timer; fails after 9 s. */
    static Future<Void> until(Vertx vertx, java.util.function.BooleanSupplier condition) {
        io.vertx.core.Promise<Void> done = io.vertx.core.Promise.promise();
        long started = System.nanoTime();
        vertx.setPeriodic(20, id -> {
            if (condition.getAsBoolean()) {
                vertx.cancelTimer(id);
                done.tryComplete();
            } else if (System.nanoTime() - started > 9_000_000_000L) {
                vertx.cancelTimer(id);
                done.tryFail(new AssertionError("condition not met within 9 s"));
            }
        });
        return done.future();
    }
}
