package dev.tether.mqtt;

/**
 * The broker answered SUBSCRIBE with the failure return code 0x80 for a topic filter (MQTT 3.1.1 section 3.9.3),
 * as AWS IoT Core does for a filter the connection's policy does not allow.
 */
public final class SubscriptionRefused extends RuntimeException {
    private final String topicFilter;

    /** @param topicFilter the filter the broker refused */
    public SubscriptionRefused(String topicFilter) {
        super("The broker refused the subscription to '" + topicFilter + "' (SUBACK return code 0x80); "
                + "check that the connection is allowed to subscribe to it");
        this.topicFilter = topicFilter;
    }

    /** The topic filter the broker refused. */
    public String topicFilter() {
        return topicFilter;
    }
}
