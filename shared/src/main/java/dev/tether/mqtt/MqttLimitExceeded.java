package dev.tether.mqtt;

/**
 * A request that AWS IoT Core would refuse, or that would need an unbounded buffer, refused locally before anything
 * was sent. The message names the limit, the value that broke it and what to do instead.
 */
public final class MqttLimitExceeded extends IllegalArgumentException {
    /** @param message what was too large or too many, and what is allowed */
    public MqttLimitExceeded(String message) {
        super(message);
    }
}
