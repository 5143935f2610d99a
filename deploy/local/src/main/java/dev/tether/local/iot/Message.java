package dev.tether.local.iot;

import io.vertx.core.buffer.Buffer;

import java.util.Objects;

/**
 * A message on its way through the broker.
 *
 * @param topic the topic name
 * @param payload the payload
 * @param qos 0 or 1
 * @param retain whether the publisher asked the broker to retain it
 */
public record Message(String topic, Buffer payload, int qos, boolean retain) {
    /** Refuses nulls and QoS other than 0 and 1. */
    public Message {
        Objects.requireNonNull(topic, "topic");
        Objects.requireNonNull(payload, "payload");
        if (qos != 0 && qos != 1) {
            throw new IllegalArgumentException("QoS " + qos + " is not supported; AWS IoT Core supports 0 and 1");
        }
    }
}
