package dev.tether;

/**
 * The AWS IoT Core limits Tether checks locally, so that a request AWS would refuse fails early with a clear
 * message instead of a dropped connection.
 *
 * <p>Source: AWS IoT Core endpoints and quotas, "AWS IoT Core message broker and protocol limits and quotas".
 */
public final class IotLimits {
    /** Largest PUBLISH payload AWS IoT Core accepts, in bytes (128 KB). */
    public static final int MAX_PAYLOAD_BYTES = 128 * 1024;

    /** Longest topic name or topic filter, in UTF-8 bytes. */
    public static final int MAX_TOPIC_BYTES = 256;

    /** Most forward slashes in a topic, not counting the leading ones of a reserved {@code $aws} topic. */
    public static final int MAX_TOPIC_SLASHES = 7;

    /** Longest MQTT client id, in UTF-8 bytes. */
    public static final int MAX_CLIENT_ID_BYTES = 128;

    /** Shortest keep-alive AWS IoT Core accepts, in seconds; a smaller value is raised to it. */
    public static final int MIN_KEEP_ALIVE_SECONDS = 30;

    /** Longest keep-alive AWS IoT Core accepts, in seconds. */
    public static final int MAX_KEEP_ALIVE_SECONDS = 1200;

    /** Most subscriptions one connection may hold. */
    public static final int MAX_SUBSCRIPTIONS_PER_CONNECTION = 50;

    /** Most topic filters in one SUBSCRIBE packet. */
    public static final int MAX_FILTERS_PER_SUBSCRIBE = 8;

    /** Most unacknowledged QoS 1 publishes in flight in each direction of one connection. */
    public static final int MAX_IN_FLIGHT_QOS1 = 100;

    /** Most publishes per second per connection; AWS drops the excess. */
    public static final int MAX_PUBLISHES_PER_SECOND = 100;

    /** Longest life of one MQTT-over-WebSocket connection, in seconds (24 hours). */
    public static final long MAX_WEBSOCKET_CONNECTION_SECONDS = 24 * 60 * 60;

    private IotLimits() {
    }
}
