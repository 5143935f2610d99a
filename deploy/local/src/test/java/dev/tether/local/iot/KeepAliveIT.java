package dev.tether.local.iot;

import dev.tether.local.TestStandIns;
import dev.tether.local.TestStandIns.Client;
import io.vertx.core.Vertx;
import io.netty.handler.codec.http.websocketx.WebSocketHandshakeException;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static dev.tether.local.TestStandIns.FULL;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Keep-alive expiry: AWS IoT Core disconnects a client that sends nothing for 1.5 times its keep-alive. The broker
 * here honours keep-alive values down to 1 s so that the test takes seconds; the client is a raw WebSocket that
 * sends CONNECT and then stays silent, as no MQTT client library can be told to.
 */
@ExtendWith(VertxExtension.class)
class KeepAliveIT {
    private static final int KEEP_ALIVE_SECONDS = 3;
    private static final int FLOOR_SECONDS = 3;

    private TestStandIns standIns;

    @BeforeEach
    void start(Vertx vertx) throws Exception {
        standIns = TestStandIns.start(vertx, 1);
    }

    @Test
    @DisplayName("a silent client is disconnected after 1.5 times its keep-alive, not before")
    void silentClientExpires(Vertx vertx) throws Exception {
        try (Client watcher = standIns.connect("watcher", standIns.url(FULL))) {
            watcher.subscribe("$aws/events/presence/disconnected/silent");

            long lifetimeMillis = silentLifetimeMillis(vertx, standIns, "silent", KEEP_ALIVE_SECONDS);

            assertThat(lifetimeMillis).isBetween(KEEP_ALIVE_SECONDS * 1500L - 200, KEEP_ALIVE_SECONDS * 1500L + 3000);
            JsonObject event = new JsonObject(watcher.next().payload());
            assertThat(event.getString("disconnectReason")).isEqualTo("MQTT_KEEP_ALIVE_TIMEOUT");
        }
    }

    @Test
    @DisplayName("a keep-alive under the broker's floor is raised to it: the silent client lasts 1.5 times the floor")
    void shortKeepAliveIsRaised(Vertx vertx) throws Exception {
        TestStandIns raised = TestStandIns.start(vertx, FLOOR_SECONDS);

        long lifetimeMillis = silentLifetimeMillis(vertx, raised, "asks-for-one-second", 1);

        assertThat(lifetimeMillis).isBetween(FLOOR_SECONDS * 1500L - 200, FLOOR_SECONDS * 1500L + 3000);
    }

    /**
     * Connects a raw WebSocket that sends CONNECT with the given keep-alive and then nothing, and answers how long
     * the broker kept it after its CONNACK.
     */
    private static long silentLifetimeMillis(Vertx vertx, TestStandIns standIns, String clientId,
            int keepAliveSeconds) throws Exception {
        String url = standIns.url(FULL);
        CompletableFuture<Long> connackAt = new CompletableFuture<>();
        CompletableFuture<Long> closedAt = new CompletableFuture<>();

        WebSocketConnectOptions upgrade = new WebSocketConnectOptions()
                .setHost("127.0.0.1")
                .setPort(standIns.aws().brokerPort())
                .setURI(url.substring(url.indexOf("/mqtt")))
                .addSubProtocol("mqtt");
        WebSocketClient client = vertx.createWebSocketClient();
        WebSocket ws;
        try {
            ws = client.connect(upgrade).await(10, TimeUnit.SECONDS);
        } catch (WebSocketHandshakeException closedEarly) {
            // Seen once in many runs on a loaded machine: the upgrade's connection closed before the 101, cause not
            // found. What is measured here starts at CONNACK, so one more upgrade changes nothing about it.
            System.err.println("KeepAliveIT: upgrade closed before 101 (" + closedEarly.getMessage() + "), once more");
            ws = client.connect(upgrade).await(10, TimeUnit.SECONDS);
        }
        ws.handler(bytes -> {
            if (RawMqtt.isAcceptingConnack(bytes)) {
                connackAt.complete(System.nanoTime());
            }
        });
        ws.closeHandler(v -> closedAt.complete(System.nanoTime()));
        ws.write(RawMqtt.connect(clientId, keepAliveSeconds));

        long accepted = connackAt.get(10, TimeUnit.SECONDS);
        long closed = closedAt.get(15, TimeUnit.SECONDS);
        return (closed - accepted) / 1_000_000;
    }
}
