package dev.tether.client;

/**
 * The session service did not grant a session: it could not be reached, answered with a status other than 200, or
 * sent an answer that is not a session grant.
 */
public final class SessionServiceFailed extends RuntimeException {
    /** @param message what happened and what to check */
    public SessionServiceFailed(String message) {
        super(message);
    }

    /**
     * @param message what happened and what to check
     * @param cause   the failure underneath
     */
    public SessionServiceFailed(String message, Throwable cause) {
        super(message, cause);
    }
}
