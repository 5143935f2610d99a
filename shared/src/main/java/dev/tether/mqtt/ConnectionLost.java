package dev.tether.mqtt;

/**
 * The MQTT connection ended before an operation could complete: the WebSocket closed, no PINGRESP came in time, the
 * broker sent something that is not MQTT 3.1.1, or the client was disconnected. Operations that need a connection
 * when there is none fail with it too.
 */
public final class ConnectionLost extends RuntimeException {
    /** @param message what ended the connection, or why there is none */
    public ConnectionLost(String message) {
        super(message);
    }

    /**
     * @param message what ended the connection
     * @param cause   the failure underneath
     */
    public ConnectionLost(String message, Throwable cause) {
        super(message, cause);
    }
}
