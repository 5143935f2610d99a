package dev.tether.responder;

/** The IoT data plane refused a publish; the message says its status, error type and reason. */
public final class DataPlanePublishFailed extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final int statusCode;

    DataPlanePublishFailed(String message, int statusCode) {
        super(message);
        this.statusCode = statusCode;
    }

    /** The HTTP status the data plane answered. */
    public int statusCode() {
        return statusCode;
    }
}
