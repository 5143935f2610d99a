package dev.tether.client;

/** The responder answered a request with {@code {"type": "error", ...}}; the message is its error text. */
public final class RequestFailed extends RuntimeException {
    private final String error;

    /** @param error the responder's error text */
    public RequestFailed(String error) {
        super("The responder could not handle the request: " + error);
        this.error = error;
    }

    /** The responder's error text, as it sent it. */
    public String error() {
        return error;
    }
}
