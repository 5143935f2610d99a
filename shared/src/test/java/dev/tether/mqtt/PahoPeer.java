package dev.tether.mqtt;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.eclipse.paho.client.mqttv3.IMqttDeliveryToken;
import org.eclipse.paho.client.mqttv3.MqttCallback;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;

/**
 * Eclipse Paho, a third-party MQTT 3.1.1 client, on the other end of the broker from the client under test: what
 * it receives is what the client under test really published, and what it publishes is ordinary MQTT.
 *
 * <p>Threading: Paho blocks; use it from the test thread only, never from an event loop.
 */
final class PahoPeer implements AutoCloseable {
    /** A message as Paho received it. */
    record Received(String topic, byte[] payload, int qos) {
    }

    final List<Received> received = new CopyOnWriteArrayList<>();
    private final MqttClient paho;
    private volatile CountDownLatch expected = new CountDownLatch(0);

    private PahoPeer(MqttClient paho) {
        this.paho = paho;
    }

    static PahoPeer connect(String url, String clientId) throws MqttException {
        MqttClient paho = new MqttClient(url, clientId, new MemoryPersistence());
        PahoPeer peer = new PahoPeer(paho);
        paho.setCallback(new MqttCallback() {
            @Override
            public void connectionLost(Throwable cause) {
            }

            @Override
            public void messageArrived(String topic, MqttMessage message) {
                peer.received.add(new Received(topic, message.getPayload(), message.getQos()));
                peer.expected.countDown();
            }

            @Override
            public void deliveryComplete(IMqttDeliveryToken token) {
            }
        });
        MqttConnectOptions options = new MqttConnectOptions();
        options.setCleanSession(true);
        options.setMaxInflight(1000);
        paho.connect(options);
        return peer;
    }

    void subscribe(String filter) throws MqttException {
        paho.subscribe(filter, 1);
    }

    void publish(String topic, byte[] payload, int qos) throws MqttException {
        paho.publish(topic, payload, qos, false);
    }

    /** Expects this many more messages; {@link #awaitExpected()} waits for them. */
    void expect(int count) {
        expected = new CountDownLatch(count);
    }

    boolean awaitExpected() throws InterruptedException {
        return expected.await(20, TimeUnit.SECONDS);
    }

    @Override
    public void close() throws MqttException {
        if (paho.isConnected()) {
            paho.disconnect();
        }
        paho.close();
    }
}
