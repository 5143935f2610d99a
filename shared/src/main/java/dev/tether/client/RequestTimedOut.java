package dev.tether.client;

/** No answer to a request came within the request timeout. */
public final class RequestTimedOut extends RuntimeException {
    /** @param message what happened and what to check */
    public RequestTimedOut(String message) {
        super(message);
    }

    /**
     * @param message what happened and what to check
     * @param cause   the failure underneath
     */
    public RequestTimedOut(String message, Throwable cause) {
        super(message, cause);
    }
}
