package dev.tether.local.iot;

import dev.tether.local.iam.Identity;
import io.vertx.mqtt.MqttEndpoint;

import java.util.Map;
import java.util.Optional;

/** One accepted MQTT connection: who it is, its session, and its keep-alive. Used only on the broker's context. */
final class BrokerConnection {
    final MqttEndpoint endpoint;
    final Identity identity;
    final Session session;
    final String sessionIdentifier;
    final String remoteAddress;
    final long versionNumber;
    final Map<String, String> policyVariables;
    final long keepAliveTimeoutMillis;
    long lastActivityNanos = System.nanoTime();
    long keepAliveTimer = -1;
    boolean clientInitiatedDisconnect;
    Optional<String> disconnectReason = Optional.empty();
    /**
     * Policy decisions already made for this connection, by action and resource: its policies cannot change while
     * it lives, and evaluating them for every delivered message would cost more than routing it.
     */
    final Map<String, Boolean> decisions = new java.util.LinkedHashMap<>(64, 0.75f, true) {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
            return size() > 256;
        }
    };

    BrokerConnection(MqttEndpoint endpoint, Identity identity, Session session, String sessionIdentifier,
            String remoteAddress, long versionNumber, long keepAliveTimeoutMillis) {
        this.endpoint = endpoint;
        this.identity = identity;
        this.session = session;
        this.sessionIdentifier = sessionIdentifier;
        this.remoteAddress = remoteAddress;
        this.versionNumber = versionNumber;
        this.policyVariables = Map.of("iot:ClientId", session.clientId);
        this.keepAliveTimeoutMillis = keepAliveTimeoutMillis;
    }

    String clientId() {
        return session.clientId;
    }

    void touch() {
        lastActivityNanos = System.nanoTime();
    }

    /** Whether packets can still be written: vertx-mqtt refuses writes once the endpoint is closed. */
    boolean isOpen() {
        return endpoint.isConnected();
    }

    /**
     * Closes the connection, remembering why for the presence event; the first reason given wins. Closing twice
     * is harmless, although vertx-mqtt's endpoint throws on a second close.
     */
    void closeFor(String reason) {
        if (disconnectReason.isEmpty()) {
            disconnectReason = Optional.of(reason);
        }
        if (endpoint.isConnected()) {
            endpoint.close();
        }
    }
}
