package dev.tether.responder;

import dev.tether.IotLimits;
import dev.tether.mqtt.ReconnectPolicy;
import dev.tether.topic.Topics;
import java.time.Duration;
import java.util.Objects;

/**
 * How responders behave; the same for every channel a process serves.
 *
 * @param topics           the topic prefix's topics
 * @param idleTimeout      how long a session lasts without a request; each request starts it again
 * @param maxDuration      the longest a session lasts, whatever its deadline; ends it with {@code deadline}
 * @param claimWindow      how long a responder waits after its claim reached the broker for rival claims, see
 *                         {@link ResponderVerticle}
 * @param maxRequestBytes  largest request handled; a larger one gets an {@code error} message
 * @param keepAliveSeconds MQTT keep-alive of the responder's connection
 * @param endGrace         how long, when a session ends, answers still being sent may take before {@code end}
 * @param reconnect        how to reconnect after a lost connection
 */
public record ResponderSettings(Topics topics, Duration idleTimeout, Duration maxDuration, Duration claimWindow,
        int maxRequestBytes, int keepAliveSeconds, Duration endGrace, ReconnectPolicy reconnect) {
    /** Checks every value, naming the one out of range. */
    public ResponderSettings {
        Objects.requireNonNull(topics, "topics");
        Objects.requireNonNull(reconnect, "reconnect");
        requirePositive(idleTimeout, "idleTimeout");
        requirePositive(maxDuration, "maxDuration");
        requirePositive(endGrace, "endGrace");
        Objects.requireNonNull(claimWindow, "claimWindow");
        if (claimWindow.isNegative()) {
            throw new IllegalArgumentException("claimWindow must be zero or more, got " + claimWindow);
        }
        if (maxRequestBytes < 2 || maxRequestBytes > IotLimits.MAX_PAYLOAD_BYTES) {
            throw new IllegalArgumentException("maxRequestBytes must be 2 to " + IotLimits.MAX_PAYLOAD_BYTES
                    + " (AWS IoT Core's largest payload), got " + maxRequestBytes);
        }
        if (keepAliveSeconds < IotLimits.MIN_KEEP_ALIVE_SECONDS
                || keepAliveSeconds > IotLimits.MAX_KEEP_ALIVE_SECONDS) {
            throw new IllegalArgumentException("keepAliveSeconds must be " + IotLimits.MIN_KEEP_ALIVE_SECONDS + " to "
                    + IotLimits.MAX_KEEP_ALIVE_SECONDS + " (AWS IoT Core's range), got " + keepAliveSeconds);
        }
    }

    /**
     * Prefix {@code tether}, idle timeout 30 s, at most 15 minutes, a claim window of 200 ms, requests up to 128 KB,
     * keep-alive 60 s, 5 s to finish answers, reconnecting with exponential backoff.
     */
    public static ResponderSettings defaults() {
        return new ResponderSettings(Topics.withDefaultPrefix(), Duration.ofSeconds(30), Duration.ofMinutes(15),
                Duration.ofMillis(200), IotLimits.MAX_PAYLOAD_BYTES, 60, Duration.ofSeconds(5),
                ReconnectPolicy.exponential());
    }

    /** These settings with another topic prefix's topics. */
    public ResponderSettings withTopics(Topics value) {
        return new ResponderSettings(value, idleTimeout, maxDuration, claimWindow, maxRequestBytes, keepAliveSeconds,
                endGrace, reconnect);
    }

    /** These settings with another idle timeout. */
    public ResponderSettings withIdleTimeout(Duration value) {
        return new ResponderSettings(topics, value, maxDuration, claimWindow, maxRequestBytes, keepAliveSeconds,
                endGrace, reconnect);
    }

    /** These settings with another longest session. */
    public ResponderSettings withMaxDuration(Duration value) {
        return new ResponderSettings(topics, idleTimeout, value, claimWindow, maxRequestBytes, keepAliveSeconds,
                endGrace, reconnect);
    }

    /** These settings with another claim window. */
    public ResponderSettings withClaimWindow(Duration value) {
        return new ResponderSettings(topics, idleTimeout, maxDuration, value, maxRequestBytes, keepAliveSeconds,
                endGrace, reconnect);
    }

    /** These settings with another largest request. */
    public ResponderSettings withMaxRequestBytes(int value) {
        return new ResponderSettings(topics, idleTimeout, maxDuration, claimWindow, value, keepAliveSeconds,
                endGrace, reconnect);
    }

    /** These settings with another time allowed for answers still being sent when a session ends. */
    public ResponderSettings withEndGrace(Duration value) {
        return new ResponderSettings(topics, idleTimeout, maxDuration, claimWindow, maxRequestBytes, keepAliveSeconds,
                value, reconnect);
    }

    /** These settings with another reconnect policy. */
    public ResponderSettings withReconnect(ReconnectPolicy value) {
        return new ResponderSettings(topics, idleTimeout, maxDuration, claimWindow, maxRequestBytes, keepAliveSeconds,
                endGrace, value);
    }

    private static void requirePositive(Duration value, String name) {
        Objects.requireNonNull(value, name);
        if (value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException(name + " must be positive, got " + value);
        }
    }
}
