package dev.tether.client;

import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.eclipse.paho.client.mqttv3.IMqttDeliveryToken;
import org.eclipse.paho.client.mqttv3.MqttCallback;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;

/**
 * A responder played by Eclipse Paho, written from DESIGN.md's wire protocol and nothing of the client's code: on a
 * session message it subscribes to the channel's request topic and says ready; it answers each request with
 * {@code {"inReplyTo": id, "echo": message}}, an error when the request has {@code "fail"}, the end of the session
 * when it has {@code "end"}, and nothing when it has {@code "silent"}. A request with {@code "lost"} plays a
 * responder whose connection dropped: {@code end: responder-lost} as the broker publishes its will, then, for
 * {@code "lost": "back"}, {@code ready} and the answer, as a responder that reconnected to its persistent session.
 *
 * <p>Threading: Paho must not publish from its own callback thread, so the work runs on one executor thread.
 */
final class PahoResponder implements AutoCloseable {
    final List<String> channels = new CopyOnWriteArrayList<>();
    private final MqttClient paho;
    private final ExecutorService worker = Executors.newSingleThreadExecutor();

    private PahoResponder(MqttClient paho) {
        this.paho = paho;
    }

    static PahoResponder start(String brokerUrl, String... prefixes) throws MqttException {
        PahoResponder responder = new PahoResponder(new MqttClient(brokerUrl, "paho-responder",
                new MemoryPersistence()));
        responder.paho.setCallback(new MqttCallback() {
            @Override
            public void connectionLost(Throwable cause) {
            }

            @Override
            public void messageArrived(String topic, MqttMessage message) {
                String text = new String(message.getPayload(), StandardCharsets.UTF_8);
                responder.worker.execute(() -> responder.handle(topic, new JsonObject(text)));
            }

            @Override
            public void deliveryComplete(IMqttDeliveryToken token) {
            }
        });
        MqttConnectOptions options = new MqttConnectOptions();
        options.setCleanSession(true);
        responder.paho.connect(options);
        for (String prefix : prefixes) {
            responder.paho.subscribe(prefix + "/session", 1);
        }
        return responder;
    }

    private void handle(String topic, JsonObject message) {
        try {
            if (topic.endsWith("/session")) {
                String prefix = topic.substring(0, topic.length() - "/session".length());
                String channelId = message.getString("channelId");
                channels.add(channelId);
                paho.subscribe(prefix + "/" + channelId + "/request", 1);
                respond(prefix + "/" + channelId + "/response", new JsonObject().put("type", "ready"));
            } else if (topic.endsWith("/request")) {
                String responseTopic = topic.substring(0, topic.length() - "/request".length()) + "/response";
                Object id = message.getValue("id");
                if (message.containsKey("fail")) {
                    respond(responseTopic, new JsonObject().put("type", "error").put("inReplyTo", id)
                            .put("error", "cannot " + message.getString("fail")));
                } else if (message.containsKey("lost")) {
                    respond(responseTopic, new JsonObject().put("type", "end").put("reason", "responder-lost"));
                    if ("back".equals(message.getString("lost"))) {
                        respond(responseTopic, new JsonObject().put("type", "ready"));
                        respond(responseTopic, new JsonObject().put("inReplyTo", id)
                                .put("echo", message.getValue("message")));
                    }
                } else if (message.containsKey("end")) {
                    respond(responseTopic, new JsonObject().put("type", "end").put("reason", "shutdown"));
                } else if (!message.containsKey("silent")) {
                    respond(responseTopic, new JsonObject().put("inReplyTo", id)
                            .put("echo", message.getValue("message")));
                }
            }
        } catch (MqttException e) {
            throw new IllegalStateException("the Paho responder failed", e);
        }
    }

    private void respond(String topic, JsonObject answer) throws MqttException {
        paho.publish(topic, answer.encode().getBytes(StandardCharsets.UTF_8), 1, false);
    }

    @Override
    public void close() throws MqttException {
        worker.shutdownNow();
        paho.disconnect();
        paho.close();
    }
}
