package dev.tether.local.iot;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The broker's state for one client id: its subscriptions and its QoS 1 messages not yet acknowledged, which
 * outlive the connection when the client connected with clean session false (MQTT 3.1.1, 3.1.2.4). Used only on
 * the broker's context.
 */
final class Session {
    final String clientId;
    /** Filter as subscribed (with any {@code $share/} prefix) to the QoS granted. */
    final Map<String, Integer> subscriptions = new LinkedHashMap<>();
    /** Sent QoS 1 messages awaiting PUBACK, by packet identifier, in sending order. */
    final Map<Integer, Message> inFlight = new LinkedHashMap<>();
    /** QoS 1 messages waiting for the client to come back or for room in flight. */
    final Deque<Message> queued = new ArrayDeque<>();
    boolean persistent;
    Optional<BrokerConnection> connection = Optional.empty();
    Instant disconnectedAt = Instant.EPOCH;
    private int lastPacketId;

    Session(String clientId) {
        this.clientId = clientId;
    }

    /** The next packet identifier not in flight (MQTT 3.1.1, 2.3.1: 1 to 65535). */
    int nextPacketId() {
        do {
            lastPacketId = lastPacketId == 65_535 ? 1 : lastPacketId + 1;
        } while (inFlight.containsKey(lastPacketId));
        return lastPacketId;
    }
}
