package dev.tether.local.iot;

import dev.tether.local.TestStandIns;
import dev.tether.local.TestStandIns.Client;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.nio.charset.StandardCharsets;
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
            String url = standIns.url(FULL);
            CompletableFuture<Long> connackAt = new CompletableFuture<>();
            CompletableFuture<Long> closedAt = new CompletableFuture<>();

            WebSocket ws = vertx.createWebSocketClient()
                    .connect(new WebSocketConnectOptions()
                            .setHost("127.0.0.1")
                            .setPort(standIns.aws().brokerPort())
                            .setURI(url.substring(url.indexOf("/mqtt")))
                            .addSubProtocol("mqtt"))
                    .await(10, TimeUnit.SECONDS);
            ws.handler(bytes -> {
                // CONNACK, return code 0 (MQTT 3.1.1, 3.2).
                if (bytes.length() == 4 && bytes.getByte(0) == 0x20 && bytes.getByte(3) == 0) {
                    connackAt.complete(System.nanoTime());
                }
            });
            ws.closeHandler(v -> closedAt.complete(System.nanoTime()));
            ws.write(connect("silent", KEEP_ALIVE_SECONDS));

            long accepted = connackAt.get(10, TimeUnit.SECONDS);
            long closed = closedAt.get(15, TimeUnit.SECONDS);
            long elapsedMillis = (closed - accepted) / 1_000_000;
            assertThat(elapsedMillis).isBetween(KEEP_ALIVE_SECONDS * 1500L - 200, KEEP_ALIVE_SECONDS * 1500L + 3000);
            JsonObject event = new JsonObject(watcher.next().payload());
            assertThat(event.getString("disconnectReason")).isEqualTo("MQTT_KEEP_ALIVE_TIMEOUT");
        }
    }

    @Test
    @DisplayName("a keep-alive under the broker's floor is raised to it: the silent client lasts 1.5 times the floor")
    void shortKeepAliveIsRaised(Vertx vertx) throws Exception {
        TestStandIns raised = TestStandIns.start(vertx, FLOOR_SECONDS);
        String url = raised.url(FULL);
        CompletableFuture<Long> connackAt = new CompletableFuture<>();
        CompletableFuture<Long> closedAt = new CompletableFuture<>();

        WebSocket ws = vertx.createWebSocketClient()
                .connect(new WebSocketConnectOptions()
                        .setHost("127.0.0.1")
                        .setPort(raised.aws().brokerPort())
                        .setURI(url.substring(url.indexOf("/mqtt")))
                        .addSubProtocol("mqtt"))
                .await(10, TimeUnit.SECONDS);
        ws.handler(bytes -> {
            if (bytes.length() == 4 && bytes.getByte(0) == 0x20 && bytes.getByte(3) == 0) {
                connackAt.complete(System.nanoTime());
            }
        });
        ws.closeHandler(v -> closedAt.complete(System.nanoTime()));
        ws.write(connect("asks-for-one-second", 1));

        long accepted = connackAt.get(10, TimeUnit.SECONDS);
        long closed = closedAt.get(15, TimeUnit.SECONDS);
        long elapsedMillis = (closed - accepted) / 1_000_000;
        assertThat(elapsedMillis).isBetween(FLOOR_SECONDS * 1500L - 200, FLOOR_SECONDS * 1500L + 3000);
    }

    /** A CONNECT packet with clean session and no will, user name or password (MQTT 3.1.1, 3.1). */
    private static Buffer connect(String clientId, int keepAliveSeconds) {
        byte[] id = clientId.getBytes(StandardCharsets.UTF_8);
        Buffer variableHeaderAndPayload = Buffer.buffer()
                .appendShort((short) 4)
                .appendString("MQTT")
                .appendByte((byte) 4)
                .appendByte((byte) 0x02)
                .appendShort((short) keepAliveSeconds)
                .appendShort((short) id.length)
                .appendBytes(id);
        return Buffer.buffer()
                .appendByte((byte) 0x10)
                .appendByte((byte) variableHeaderAndPayload.length())
                .appendBuffer(variableHeaderAndPayload);
    }
}
