package dev.tether.mqtt;

import io.vertx.core.buffer.Buffer;
import java.util.Objects;

/**
 * The will message the broker publishes for the client when the connection ends without DISCONNECT
 * (MQTT 3.1.1 section 3.1.2.5).
 *
 * @param topic   the topic the will is published to; AWS IoT Core's topic limits apply
 * @param payload the will's payload, at most {@link dev.tether.IotLimits#MAX_PAYLOAD_BYTES} bytes
 * @param qos     0 or 1
 * @param retain  whether the broker retains the will
 */
public record MqttWill(String topic, Buffer payload, int qos, boolean retain) {
    /** Checks the will against MQTT 3.1.1 and AWS IoT Core; throws {@link MqttLimitExceeded} or
     * {@link IllegalArgumentException} naming what is wrong. */
    public MqttWill {
        Objects.requireNonNull(topic, "topic");
        Objects.requireNonNull(payload, "payload");
        Limits.checkTopicName(topic, "will topic");
        Limits.checkPayload(payload.length(), "will payload");
        Limits.checkQos(qos, "will QoS");
    }
}
