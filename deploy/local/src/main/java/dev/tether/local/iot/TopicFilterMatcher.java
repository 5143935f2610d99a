package dev.tether.local.iot;

/** Topic filter matching as the broker does it, for other packages such as the topic rules. */
public final class TopicFilterMatcher {
    private TopicFilterMatcher() {
    }

    /** Whether a topic name matches a topic filter (MQTT 3.1.1, 4.7), {@code $} topics included. */
    public static boolean matches(String filter, String topic) {
        return TopicFilters.matches(filter, topic);
    }
}
