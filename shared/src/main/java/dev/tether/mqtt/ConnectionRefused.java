package dev.tether.mqtt;

/**
 * The broker answered CONNECT with a CONNACK whose return code is not 0 (MQTT 3.1.1 section 3.2.2.3).
 */
public final class ConnectionRefused extends RuntimeException {
    private final int returnCode;

    /**
     * @param returnCode the CONNACK return code, 1 to 5 in MQTT 3.1.1
     * @param reason     the name of that code in the specification
     */
    public ConnectionRefused(int returnCode, String reason) {
        super("The broker refused the connection: CONNACK return code " + returnCode + " (" + reason + ")");
        this.returnCode = returnCode;
    }

    /** The CONNACK return code: 1 unacceptable protocol version, 2 identifier rejected, 3 server unavailable,
     * 4 bad user name or password, 5 not authorized. */
    public int returnCode() {
        return returnCode;
    }
}
