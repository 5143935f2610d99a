package dev.tether.client;

/**
 * No responder announced itself with {@code {"type": "ready"}} within the ready timeout after the session message
 * was published.
 */
public final class ResponderNotReady extends RuntimeException {
    /** @param message what happened and what to check */
    public ResponderNotReady(String message) {
        super(message);
    }

    /**
     * @param message what happened and what to check
     * @param cause   the failure underneath
     */
    public ResponderNotReady(String message, Throwable cause) {
        super(message, cause);
    }
}
