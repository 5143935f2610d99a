package dev.tether.mqtt;

import java.time.Duration;
import java.util.Objects;

/**
 * When to try again after a connection is lost: exponential backoff with jitter.
 *
 * <p>The delay before attempt {@code n} (1 for the first) is {@code min(maxDelay, initialDelay * multiplier^(n-1))},
 * shortened by a random fraction of at most {@code jitter} of itself, so that many clients that lost the same broker
 * do not all come back at the same instant.
 *
 * @param initialDelay delay before the first attempt
 * @param maxDelay     longest delay between attempts
 * @param multiplier   growth of the delay from one attempt to the next, at least 1
 * @param jitter       largest fraction of the delay taken off at random, from 0 (none) to 1
 * @param maxAttempts  attempts before giving up, at least 1
 */
public record ReconnectPolicy(Duration initialDelay, Duration maxDelay, double multiplier, double jitter,
        int maxAttempts) {
    /** Checks the values; throws {@link IllegalArgumentException} naming the one out of range. */
    public ReconnectPolicy {
        Objects.requireNonNull(initialDelay, "initialDelay");
        Objects.requireNonNull(maxDelay, "maxDelay");
        if (initialDelay.isNegative() || initialDelay.isZero()) {
            throw new IllegalArgumentException("initialDelay must be positive, got " + initialDelay);
        }
        if (maxDelay.compareTo(initialDelay) < 0) {
            throw new IllegalArgumentException(
                    "maxDelay must be at least initialDelay " + initialDelay + ", got " + maxDelay);
        }
        if (!(multiplier >= 1.0)) {
            throw new IllegalArgumentException("multiplier must be at least 1, got " + multiplier);
        }
        if (!(jitter >= 0.0 && jitter <= 1.0)) {
            throw new IllegalArgumentException("jitter must be between 0 and 1, got " + jitter);
        }
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("maxAttempts must be at least 1, got " + maxAttempts);
        }
    }

    /** One second doubling up to 30 seconds, up to half of each delay taken off at random, never giving up. */
    public static ReconnectPolicy exponential() {
        return new ReconnectPolicy(Duration.ofSeconds(1), Duration.ofSeconds(30), 2.0, 0.5, Integer.MAX_VALUE);
    }

    /**
     * The delay before an attempt.
     *
     * @param attempt the attempt, 1 for the first after the loss
     * @param random  a uniformly random number in [0, 1), injected so that tests can choose it
     * @return the delay, at least one millisecond
     */
    public Duration delayBefore(int attempt, double random) {
        if (attempt < 1) {
            throw new IllegalArgumentException("attempt counts from 1, got " + attempt);
        }
        double base = initialDelay.toMillis() * Math.pow(multiplier, attempt - 1);
        double capped = Math.min(base, maxDelay.toMillis());
        long millis = Math.round(capped * (1.0 - jitter * random));
        return Duration.ofMillis(Math.max(1, millis));
    }
}
