package dev.tether.examples;

import dev.tether.client.TetherClient;
import dev.tether.mqtt.MqttClientOptions;
import dev.tether.mqtt.MqttWebSocketClient;
import dev.tether.mqtt.ReconnectPolicy;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.util.function.Supplier;

/**
 * The README's code examples, compiled with the tests so that they cannot drift from the API. Each README
 * {@code java} block must appear here line for line; {@link ReadmeExamplesTest} checks it.
 */
final class ClientExamples {
    private ClientExamples() {
    }

    static Future<Void> mqttClient(Vertx vertx, Supplier<Future<String>> presignFreshUrl) {
        MqttWebSocketClient client = MqttWebSocketClient.create(vertx, MqttClientOptions.of("device-1")
                .withReconnect(ReconnectPolicy.exponential()));
        client.messageHandler(message -> System.out.println(message.topic() + ": " + message.payload()));
        return client.connect(presignFreshUrl) // asked again for a fresh URL before every reconnect
                .compose(sessionPresent -> client.subscribe("tether/example/response", 1))
                .compose(grantedQos -> client.publish("tether/session",
                        Buffer.buffer("{\"channelId\":\"example\"}"), 1, false));
    }

    static Future<String> tetherClient(Vertx vertx) {
        return TetherClient.open(vertx, "http://127.0.0.1:8080/session")
                .compose(session -> session.request(new JsonObject().put("message", "PING"))
                        .eventually(session::close))
                .map(answer -> answer.getString("message"));
    }
}
