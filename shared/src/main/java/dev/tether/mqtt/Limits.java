package dev.tether.mqtt;

import dev.tether.IotLimits;
import java.nio.charset.StandardCharsets;

/**
 * Local checks of what MQTT 3.1.1 forbids and AWS IoT Core refuses, so that a bad request fails at once with a
 * message naming the limit instead of a dropped connection. Each check throws; callers returning a Future turn the
 * throw into a failed Future.
 */
final class Limits {
    private static final String BASIC_INGEST_PREFIX = "$aws/rules/";

    private Limits() {
    }

    static void checkTopicName(String topic, String what) {
        checkTopic(topic, what);
        // MQTT 3.1.1 section 4.7.1: wildcards are for topic filters, never topic names [MQTT-3.3.2-2].
        if (topic.indexOf('+') >= 0 || topic.indexOf('#') >= 0) {
            throw new IllegalArgumentException(
                    what + " '" + topic + "' contains a wildcard (+ or #); publish to a topic name without them");
        }
    }

    static void checkTopicFilter(String filter, String what) {
        checkTopic(filter, what);
        String[] levels = filter.split("/", -1);
        for (int i = 0; i < levels.length; i++) {
            String level = levels[i];
            // MQTT 3.1.1 section 4.7.1.2: '#' stands alone as the last level; 4.7.1.3: '+' stands alone in a level.
            boolean hashMisplaced = level.contains("#") && (!level.equals("#") || i != levels.length - 1);
            boolean plusMisplaced = level.contains("+") && !level.equals("+");
            if (hashMisplaced || plusMisplaced) {
                throw new IllegalArgumentException(what + " '" + filter + "' misplaces a wildcard: '+' must fill a "
                        + "whole level and '#' must be the whole last level");
            }
        }
    }

    static void checkPayload(int bytes, String what) {
        if (bytes > IotLimits.MAX_PAYLOAD_BYTES) {
            throw new MqttLimitExceeded(what + " is " + bytes + " bytes; AWS IoT Core accepts at most "
                    + IotLimits.MAX_PAYLOAD_BYTES + " bytes (128 KB)");
        }
    }

    static void checkQos(int qos, String what) {
        if (qos != 0 && qos != 1) {
            throw new IllegalArgumentException(what + " is " + qos + "; AWS IoT Core supports QoS 0 and 1 only");
        }
    }

    static void checkClientId(String clientId) {
        int bytes = clientId.getBytes(StandardCharsets.UTF_8).length;
        if (bytes > IotLimits.MAX_CLIENT_ID_BYTES) {
            throw new MqttLimitExceeded("client id is " + bytes + " bytes in UTF-8; AWS IoT Core accepts at most "
                    + IotLimits.MAX_CLIENT_ID_BYTES);
        }
        if (clientId.isEmpty()) {
            throw new IllegalArgumentException("client id is empty; AWS IoT Core needs one of 1 to "
                    + IotLimits.MAX_CLIENT_ID_BYTES + " bytes");
        }
    }

    private static void checkTopic(String topic, String what) {
        if (topic.isEmpty()) {
            // MQTT 3.1.1 section 4.7.3: a topic is at least one character long [MQTT-4.7.3-1].
            throw new IllegalArgumentException(what + " is empty; a topic has at least one character");
        }
        int bytes = topic.getBytes(StandardCharsets.UTF_8).length;
        if (bytes > IotLimits.MAX_TOPIC_BYTES) {
            throw new MqttLimitExceeded(what + " is " + bytes + " bytes in UTF-8; AWS IoT Core accepts at most "
                    + IotLimits.MAX_TOPIC_BYTES);
        }
        int slashes = countSlashes(topic);
        if (slashes > IotLimits.MAX_TOPIC_SLASHES) {
            throw new MqttLimitExceeded(what + " '" + topic + "' has " + slashes + " slashes; AWS IoT Core accepts "
                    + "at most " + IotLimits.MAX_TOPIC_SLASHES);
        }
    }

    private static int countSlashes(String topic) {
        int slashes = 0;
        for (int i = 0; i < topic.length(); i++) {
            if (topic.charAt(i) == '/') {
                slashes++;
            }
        }
        // AWS IoT Core does not count the three slashes of a Basic Ingest prefix, $aws/rules/<rule name>/.
        if (topic.startsWith(BASIC_INGEST_PREFIX)) {
            slashes = Math.max(0, slashes - 3);
        }
        return slashes;
    }
}
