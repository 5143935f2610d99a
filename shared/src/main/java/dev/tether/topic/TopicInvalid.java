package dev.tether.topic;

/**
 * Thrown when a topic, a topic prefix, a shared subscription group or a client id cannot be used in a topic. The
 * message says what was wrong and what is allowed.
 */
public final class TopicInvalid extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    TopicInvalid(String message) {
        super(message);
    }
}
