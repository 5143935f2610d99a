package dev.tether.mqtt;

import static dev.tether.mqtt.MqttWebSocketClientIT.until;
import static dev.tether.mqtt.MqttWebSocketClientTest.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.junit5.VertxExtension;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The client rides out a restart of HiveMQ CE: it reconnects, subscribes again and delivers what waited. */
@ExtendWith(VertxExtension.class)
class BrokerRestartIT {
    @Test
    void reconnectsAfterBrokerRestart_resubscribes_andDeliversQueuedPublish(Vertx vertx) throws Exception {
        try (HiveMqBroker broker = HiveMqBroker.start()) {
            AtomicInteger urlsAsked = new AtomicInteger();
            List<Throwable> reported = new CopyOnWriteArrayList<>();
            List<String> received = new CopyOnWriteArrayList<>();
            Promise<Boolean> reconnected = Promise.promise();
            MqttWebSocketClient client = MqttWebSocketClient.create(vertx, MqttClientOptions.of("ours-restart")
                            .withReconnect(new ReconnectPolicy(Duration.ofMillis(100), Duration.ofMillis(500), 2.0,
                                    0.5, 1000)))
                    .messageHandler(message -> received.add(message.payload().toString(StandardCharsets.UTF_8)))
                    .exceptionHandler(reported::add)
                    .reconnectHandler(reconnected::tryComplete);
            await(client.connect(() -> {
                urlsAsked.incrementAndGet();
                return Future.succeededFuture(broker.url());
            }));
            await(client.subscribe("it/restart/#", 1));

            broker.stop();
            await(until(vertx, () -> !client.isConnected()));
            Future<Void> publishedWhileDown = client.publish("it/restart/queued", Buffer.buffer("waited"), 1, false);
            broker.startAgain();

            // The broker forgot the subscription; the client subscribes again before it sends what waited, so
            // its own queued message comes back to it only if both happened, in that order.
            assertThat(await(reconnected.future())).isFalse();
            await(publishedWhileDown);
            await(until(vertx, () -> received.contains("waited")));

            try (PahoPeer paho = PahoPeer.connect(broker.url(), "paho-restart")) {
                paho.publish("it/restart/after", "after".getBytes(StandardCharsets.UTF_8), 1);
                await(until(vertx, () -> received.contains("after")));
            }
            assertThat(urlsAsked.get()).isGreaterThanOrEqualTo(2);
            assertThat(reported).first().isInstanceOf(ConnectionLost.class);
            await(client.disconnect());
        }
    }
}
