package dev.tether.local.iot;

import dev.tether.IotLimits;

import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * Topic filters as MQTT 3.1.1 (section 4.7) and AWS IoT Core define them, with shared subscriptions
 * ({@code $share/<group>/<filter>}, AWS IoT developer guide, "Shared Subscriptions").
 */
final class TopicFilters {
    static final String SHARE_PREFIX = "$share/";

    private TopicFilters() {
    }

    /**
     * Checks a topic filter and returns a message saying what is wrong, or empty when it is valid.
     * The size limits apply to the filter without its {@code $share/<group>/} prefix.
     */
    static Optional<String> problem(String filter) {
        if (filter == null || filter.isEmpty()) {
            return Optional.of("the topic filter is empty");
        }
        String plain = filter;
        if (filter.startsWith(SHARE_PREFIX)) {
            int slash = filter.indexOf('/', SHARE_PREFIX.length());
            if (slash < 0 || slash == SHARE_PREFIX.length() || slash == filter.length() - 1) {
                return Optional.of("shared subscription '" + filter + "' must be $share/<group>/<filter>");
            }
            String group = filter.substring(SHARE_PREFIX.length(), slash);
            if (group.contains("+") || group.contains("#")) {
                return Optional.of("the share group '" + group + "' may not hold + or #");
            }
            plain = filter.substring(slash + 1);
        }
        int bytes = plain.getBytes(StandardCharsets.UTF_8).length;
        if (bytes > IotLimits.MAX_TOPIC_BYTES) {
            return Optional.of("the topic filter has " + bytes + " UTF-8 bytes; AWS IoT Core allows at most "
                    + IotLimits.MAX_TOPIC_BYTES);
        }
        long slashes = plain.chars().filter(c -> c == '/').count();
        if (slashes > IotLimits.MAX_TOPIC_SLASHES) {
            return Optional.of("the topic filter has " + slashes + " slashes; AWS IoT Core allows at most "
                    + IotLimits.MAX_TOPIC_SLASHES);
        }
        String[] levels = plain.split("/", -1);
        for (int i = 0; i < levels.length; i++) {
            String level = levels[i];
            // MQTT 3.1.1, 4.7.1.2 and 4.7.1.3: a wildcard occupies a whole level, and # only the last one.
            if (level.contains("#") && (!level.equals("#") || i != levels.length - 1)) {
                return Optional.of("'#' must be alone in the last level of the topic filter");
            }
            if (level.contains("+") && !level.equals("+")) {
                return Optional.of("'+' must occupy a whole level of the topic filter");
            }
            if (level.indexOf('\0') >= 0) {
                return Optional.of("the topic filter holds a NUL character");
            }
        }
        return Optional.empty();
    }

    /** Whether a filter holds {@code +} or {@code #}. */
    static boolean hasWildcard(String filter) {
        return filter.indexOf('+') >= 0 || filter.indexOf('#') >= 0;
    }

    /**
     * Whether a topic name matches a (non-shared) filter. MQTT 3.1.1, 4.7.2: a filter starting with a wildcard
     * does not match a topic starting with {@code $}.
     */
    static boolean matches(String filter, String topic) {
        if (!topic.isEmpty() && topic.charAt(0) == '$' && !filter.isEmpty()
                && (filter.charAt(0) == '+' || filter.charAt(0) == '#')) {
            return false;
        }
        int f = 0;
        int t = 0;
        while (f < filter.length()) {
            char c = filter.charAt(f);
            if (c == '#') {
                return true;
            }
            if (c == '+') {
                while (t < topic.length() && topic.charAt(t) != '/') {
                    t++;
                }
                f++;
            } else {
                if (t >= topic.length() || topic.charAt(t) != c) {
                    // "a/#" also matches "a" (MQTT 3.1.1, 4.7.1.2).
                    return t == topic.length() && filter.startsWith("/#", f);
                }
                f++;
                t++;
            }
        }
        return t == topic.length();
    }
}
