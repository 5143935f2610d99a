package dev.tether.client;

import dev.tether.mqtt.ReconnectPolicy;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * How a {@link TetherClient} opens and runs a session. Start from {@link #of(String)}.
 *
 * @param sessionServiceUrl the session service's {@code GET /session} URL, http or https
 * @param topicPrefix       the topic prefix, used only when the service does not name the topics
 * @param readyTimeout      how long to wait for the responder's {@code ready} after the session message
 * @param requestTimeout    how long to wait for each answer
 * @param keepAliveSeconds  the MQTT keep-alive
 * @param reconnect         whether and how to open a fresh session after the connection is lost
 */
public record TetherClientOptions(String sessionServiceUrl, String topicPrefix, Duration readyTimeout,
        Duration requestTimeout, int keepAliveSeconds, Optional<ReconnectPolicy> reconnect) {
    /** The prefix DESIGN.md gives topics when nothing else is configured. */
    public static final String DEFAULT_TOPIC_PREFIX = "tether";

    /** Refuses nulls, a URL that is not http or https, an empty or wildcard prefix and non-positive timeouts. */
    public TetherClientOptions {
        Objects.requireNonNull(sessionServiceUrl, "sessionServiceUrl");
        Objects.requireNonNull(topicPrefix, "topicPrefix");
        Objects.requireNonNull(readyTimeout, "readyTimeout");
        Objects.requireNonNull(requestTimeout, "requestTimeout");
        Objects.requireNonNull(reconnect, "reconnect");
        if (!sessionServiceUrl.startsWith("http://") && !sessionServiceUrl.startsWith("https://")) {
            throw new IllegalArgumentException("sessionServiceUrl must start with http:// or https://");
        }
        if (topicPrefix.isEmpty() || topicPrefix.contains("+") || topicPrefix.contains("#")) {
            throw new IllegalArgumentException("topicPrefix must be non-empty and without + or #, got '"
                    + topicPrefix + "'");
        }
        if (readyTimeout.isNegative() || readyTimeout.isZero()) {
            throw new IllegalArgumentException("readyTimeout must be positive, got " + readyTimeout);
        }
        if (requestTimeout.isNegative() || requestTimeout.isZero()) {
            throw new IllegalArgumentException("requestTimeout must be positive, got " + requestTimeout);
        }
    }

    /** Prefix {@code tether}, 10 s for ready, 30 s for each answer, 60 s keep-alive, no reconnecting. */
    public static TetherClientOptions of(String sessionServiceUrl) {
        return new TetherClientOptions(sessionServiceUrl, DEFAULT_TOPIC_PREFIX, Duration.ofSeconds(10),
                Duration.ofSeconds(30), 60, Optional.empty());
    }

    /** A copy with another topic prefix. */
    public TetherClientOptions withTopicPrefix(String value) {
        return new TetherClientOptions(sessionServiceUrl, value, readyTimeout, requestTimeout, keepAliveSeconds,
                reconnect);
    }

    /** A copy with other timeouts. */
    public TetherClientOptions withTimeouts(Duration ready, Duration request) {
        return new TetherClientOptions(sessionServiceUrl, topicPrefix, ready, request, keepAliveSeconds, reconnect);
    }

    /** A copy that opens a fresh session by this policy when the connection is lost. */
    public TetherClientOptions withReconnect(ReconnectPolicy value) {
        return new TetherClientOptions(sessionServiceUrl, topicPrefix, readyTimeout, requestTimeout,
                keepAliveSeconds, Optional.of(value));
    }
}
