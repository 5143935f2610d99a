package dev.tether.local.iot;

import dev.tether.IotLimits;

import java.time.Duration;
import java.util.Objects;

/**
 * How the IoT Core stand-in's broker runs.
 *
 * @param host the interface to listen on, such as {@code 127.0.0.1}
 * @param port the WebSocket port; 0 picks a free one
 * @param region the region presigned URLs must be scoped to
 * @param accountId the account id in resource ARNs
 * @param minKeepAliveSeconds the smallest keep-alive honoured; AWS IoT Core raises smaller values to 30 s. Tests
 *        lower it so that keep-alive expiry can be shown in seconds
 * @param persistentSessionExpiry how long a persistent session outlives its connection; AWS's default is 1 hour
 * @param maxQueuedMessages most QoS 1 messages kept for one session beyond those in flight; newer ones are dropped
 * @param maxDateSkew how far a presigned URL's X-Amz-Date may be from the clock; AWS allows 5 minutes
 */
public record BrokerSettings(String host, int port, String region, String accountId, int minKeepAliveSeconds,
        Duration persistentSessionExpiry, int maxQueuedMessages, Duration maxDateSkew) {
    /** Checks every value at once. */
    public BrokerSettings {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(region, "region");
        Objects.requireNonNull(accountId, "accountId");
        Objects.requireNonNull(persistentSessionExpiry, "persistentSessionExpiry");
        Objects.requireNonNull(maxDateSkew, "maxDateSkew");
        if (port < 0 || port > 65_535) {
            throw new IllegalArgumentException("broker port " + port + " is not allowed; use 0 to 65535");
        }
        if (minKeepAliveSeconds < 1 || minKeepAliveSeconds > IotLimits.MIN_KEEP_ALIVE_SECONDS) {
            throw new IllegalArgumentException("minKeepAliveSeconds " + minKeepAliveSeconds + " is not allowed;"
                    + " use 1 to " + IotLimits.MIN_KEEP_ALIVE_SECONDS + " (AWS uses "
                    + IotLimits.MIN_KEEP_ALIVE_SECONDS + ")");
        }
        if (maxQueuedMessages < 0) {
            throw new IllegalArgumentException("maxQueuedMessages " + maxQueuedMessages + " is negative");
        }
        if (persistentSessionExpiry.isNegative() || persistentSessionExpiry.isZero()) {
            throw new IllegalArgumentException("persistentSessionExpiry must be positive, was "
                    + persistentSessionExpiry);
        }
    }

    /** The defaults of DESIGN.md: {@code ws://127.0.0.1:9001/mqtt}, AWS's keep-alive and session expiry. */
    public static BrokerSettings defaults() {
        return new BrokerSettings("127.0.0.1", 9001, "us-east-1", "000000000000", IotLimits.MIN_KEEP_ALIVE_SECONDS,
                Duration.ofHours(1), 1000, Duration.ofMinutes(5));
    }

    /** These settings on another port. */
    public BrokerSettings withPort(int newPort) {
        return new BrokerSettings(host, newPort, region, accountId, minKeepAliveSeconds, persistentSessionExpiry,
                maxQueuedMessages, maxDateSkew);
    }

    /** These settings with another smallest keep-alive. */
    public BrokerSettings withMinKeepAliveSeconds(int seconds) {
        return new BrokerSettings(host, port, region, accountId, seconds, persistentSessionExpiry,
                maxQueuedMessages, maxDateSkew);
    }

    /** These settings with another bound on queued QoS 1 messages per session. */
    public BrokerSettings withMaxQueuedMessages(int messages) {
        return new BrokerSettings(host, port, region, accountId, minKeepAliveSeconds, persistentSessionExpiry,
                messages, maxDateSkew);
    }
}
