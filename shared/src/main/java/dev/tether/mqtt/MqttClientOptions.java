package dev.tether.mqtt;

import dev.tether.IotLimits;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * How an {@link MqttWebSocketClient} connects and how much it may hold. Start from {@link #of(String)} and change
 * what differs with the {@code with...} methods.
 *
 * @param clientId             the MQTT client id, 1 to {@link IotLimits#MAX_CLIENT_ID_BYTES} bytes in UTF-8
 * @param cleanSession         true to start a fresh session on each connection; false to resume a persistent one
 *                             (MQTT 3.1.1 section 3.1.2.4)
 * @param keepAliveSeconds     longest silence before the client sends PINGREQ, 0 to 65535, 0 for none
 *                             (MQTT 3.1.1 section 3.1.2.10)
 * @param pingResponseTimeout  how long to wait for PINGRESP before declaring the connection dead
 * @param connectTimeout       how long to wait for the WebSocket upgrade and then for CONNACK
 * @param will                 the will message, if any
 * @param username             the CONNECT user name, if any
 * @param password             the CONNECT password, if any; needs a user name (MQTT 3.1.1 section 3.1.2.9)
 * @param maxInFlight          most QoS 1 publishes awaiting PUBACK, 1 to {@link IotLimits#MAX_IN_FLIGHT_QOS1}
 * @param maxQueuedPublishes   most QoS 1 publishes waiting for room in the in-flight window; beyond it publish fails
 * @param maxFrameBytes        largest WebSocket frame sent; a longer message goes out as a binary frame and
 *                             continuation frames. Frames received may be as large as the largest packet AWS IoT
 *                             Core sends.
 * @param reconnect            whether and how to reconnect after the connection is lost
 */
public record MqttClientOptions(String clientId, boolean cleanSession, int keepAliveSeconds,
        Duration pingResponseTimeout, Duration connectTimeout, Optional<MqttWill> will, Optional<String> username,
        Optional<String> password, int maxInFlight, int maxQueuedPublishes, int maxFrameBytes,
        Optional<ReconnectPolicy> reconnect) {
    /** Default keep-alive: AWS IoT Core's own default of 20 minutes is too long to notice a dead link. */
    public static final int DEFAULT_KEEP_ALIVE_SECONDS = 60;

    /** Default bound on QoS 1 publishes queued behind a full in-flight window. */
    public static final int DEFAULT_MAX_QUEUED_PUBLISHES = 1000;

    /** Default largest WebSocket frame: room for the largest PUBLISH AWS IoT Core accepts, with its header. */
    public static final int DEFAULT_MAX_FRAME_BYTES = IotLimits.MAX_PAYLOAD_BYTES + 1024;

    private static final int MIN_FRAME_BYTES = 2;
    private static final int MAX_KEEP_ALIVE_SECONDS = 65535;

    /** Checks every value; throws {@link IllegalArgumentException} or {@link MqttLimitExceeded} naming it. */
    public MqttClientOptions {
        Objects.requireNonNull(clientId, "clientId");
        Objects.requireNonNull(pingResponseTimeout, "pingResponseTimeout");
        Objects.requireNonNull(connectTimeout, "connectTimeout");
        Objects.requireNonNull(will, "will");
        Objects.requireNonNull(username, "username");
        Objects.requireNonNull(password, "password");
        Objects.requireNonNull(reconnect, "reconnect");
        Limits.checkClientId(clientId);
        if (keepAliveSeconds < 0 || keepAliveSeconds > MAX_KEEP_ALIVE_SECONDS) {
            // MQTT 3.1.1 section 3.1.2.10: a 16-bit number of seconds.
            throw new IllegalArgumentException("keepAliveSeconds must be 0 to 65535, got " + keepAliveSeconds);
        }
        requirePositive(pingResponseTimeout, "pingResponseTimeout");
        requirePositive(connectTimeout, "connectTimeout");
        if (password.isPresent() && username.isEmpty()) {
            // MQTT 3.1.1 section 3.1.2.9: no password without a user name [MQTT-3.1.2-22].
            throw new IllegalArgumentException("a password needs a username (MQTT 3.1.1 section 3.1.2.9)");
        }
        if (maxInFlight < 1 || maxInFlight > IotLimits.MAX_IN_FLIGHT_QOS1) {
            throw new MqttLimitExceeded("maxInFlight must be 1 to " + IotLimits.MAX_IN_FLIGHT_QOS1
                    + " (AWS IoT Core's limit of unacknowledged QoS 1 publishes), got " + maxInFlight);
        }
        if (maxQueuedPublishes < 0) {
            throw new IllegalArgumentException("maxQueuedPublishes must be 0 or more, got " + maxQueuedPublishes);
        }
        if (maxFrameBytes < MIN_FRAME_BYTES) {
            throw new IllegalArgumentException("maxFrameBytes must be at least 2, got " + maxFrameBytes);
        }
    }

    /**
     * Defaults for a client id: clean session, {@value #DEFAULT_KEEP_ALIVE_SECONDS} s keep-alive, 10 s to wait for
     * PINGRESP and for connecting, no will, no user name, AWS IoT Core's in-flight window of 100, a queue of
     * {@value #DEFAULT_MAX_QUEUED_PUBLISHES}, and no reconnecting.
     */
    public static MqttClientOptions of(String clientId) {
        return new MqttClientOptions(clientId, true, DEFAULT_KEEP_ALIVE_SECONDS, Duration.ofSeconds(10),
                Duration.ofSeconds(10), Optional.empty(), Optional.empty(), Optional.empty(),
                IotLimits.MAX_IN_FLIGHT_QOS1, DEFAULT_MAX_QUEUED_PUBLISHES, DEFAULT_MAX_FRAME_BYTES, Optional.empty());
    }

    /** A copy with another clean-session flag. */
    public MqttClientOptions withCleanSession(boolean value) {
        return new MqttClientOptions(clientId, value, keepAliveSeconds, pingResponseTimeout, connectTimeout, will,
                username, password, maxInFlight, maxQueuedPublishes, maxFrameBytes, reconnect);
    }

    /** A copy with another keep-alive and PINGRESP timeout. */
    public MqttClientOptions withKeepAlive(int seconds, Duration responseTimeout) {
        return new MqttClientOptions(clientId, cleanSession, seconds, responseTimeout, connectTimeout, will,
                username, password, maxInFlight, maxQueuedPublishes, maxFrameBytes, reconnect);
    }

    /** A copy with another connect timeout. */
    public MqttClientOptions withConnectTimeout(Duration value) {
        return new MqttClientOptions(clientId, cleanSession, keepAliveSeconds, pingResponseTimeout, value, will,
                username, password, maxInFlight, maxQueuedPublishes, maxFrameBytes, reconnect);
    }

    /** A copy with a will. */
    public MqttClientOptions withWill(MqttWill value) {
        return new MqttClientOptions(clientId, cleanSession, keepAliveSeconds, pingResponseTimeout, connectTimeout,
                Optional.of(value), username, password, maxInFlight, maxQueuedPublishes, maxFrameBytes, reconnect);
    }

    /** A copy with a user name and password for CONNECT. */
    public MqttClientOptions withCredentials(String user, String secret) {
        return new MqttClientOptions(clientId, cleanSession, keepAliveSeconds, pingResponseTimeout, connectTimeout,
                will, Optional.of(user), Optional.of(secret), maxInFlight, maxQueuedPublishes, maxFrameBytes,
                reconnect);
    }

    /** A copy with another in-flight window and queue bound. */
    public MqttClientOptions withFlowControl(int inFlight, int queued) {
        return new MqttClientOptions(clientId, cleanSession, keepAliveSeconds, pingResponseTimeout, connectTimeout,
                will, username, password, inFlight, queued, maxFrameBytes, reconnect);
    }

    /** A copy with another largest WebSocket frame. */
    public MqttClientOptions withMaxFrameBytes(int value) {
        return new MqttClientOptions(clientId, cleanSession, keepAliveSeconds, pingResponseTimeout, connectTimeout,
                will, username, password, maxInFlight, maxQueuedPublishes, value, reconnect);
    }

    /** A copy that reconnects after a lost connection by this policy. */
    public MqttClientOptions withReconnect(ReconnectPolicy value) {
        return new MqttClientOptions(clientId, cleanSession, keepAliveSeconds, pingResponseTimeout, connectTimeout,
                will, username, password, maxInFlight, maxQueuedPublishes, maxFrameBytes, Optional.of(value));
    }

    /** Like the record's own, but never shows the password. */
    @Override
    public String toString() {
        return "MqttClientOptions[clientId=" + clientId + ", cleanSession=" + cleanSession + ", keepAliveSeconds="
                + keepAliveSeconds + ", pingResponseTimeout=" + pingResponseTimeout + ", connectTimeout="
                + connectTimeout + ", will=" + will.map(MqttWill::topic) + ", username=" + username
                + ", password=" + password.map(p -> "(hidden)") + ", maxInFlight=" + maxInFlight
                + ", maxQueuedPublishes=" + maxQueuedPublishes + ", maxFrameBytes=" + maxFrameBytes
                + ", reconnect=" + reconnect + "]";
    }

    private static void requirePositive(Duration value, String name) {
        if (value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException(name + " must be positive, got " + value);
        }
    }
}
