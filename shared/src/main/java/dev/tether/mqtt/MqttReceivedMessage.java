package dev.tether.mqtt;

import io.vertx.core.buffer.Buffer;

/**
 * A PUBLISH the broker delivered to this client.
 *
 * @param topic     the topic name it was published to
 * @param payload   its payload, a copy the handler may keep
 * @param qos       0 or 1
 * @param duplicate the DUP flag: the broker may have delivered it before (MQTT 3.1.1 section 3.3.1.1)
 * @param retain    the RETAIN flag: a retained message sent on subscribing (MQTT 3.1.1 section 3.3.1.3)
 */
public record MqttReceivedMessage(String topic, Buffer payload, int qos, boolean duplicate, boolean retain) {
}
