package dev.tether.local.iot;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Which sessions receive a topic: filters without wildcards are found by one map lookup, filters with wildcards
 * by matching each distinct filter once, and shared subscriptions ({@code $share/<group>/<filter>}) pick one
 * member of the group per message, in turn. Used only on the broker's context.
 */
final class SubscriptionIndex {
    private final Map<String, Map<Session, Integer>> exact = new HashMap<>();
    private final Map<String, Map<Session, Integer>> wildcard = new HashMap<>();
    private final Map<String, SharedGroup> shared = new HashMap<>();

    /** A session to deliver to, at the QoS its subscription granted. */
    record Target(Session session, int qos) {
    }

    void add(Session session, String filter, int qos) {
        if (filter.startsWith(TopicFilters.SHARE_PREFIX)) {
            int slash = filter.indexOf('/', TopicFilters.SHARE_PREFIX.length());
            shared.computeIfAbsent(filter, key -> new SharedGroup(filter.substring(slash + 1)))
                    .members.put(session, qos);
            return;
        }
        Map<String, Map<Session, Integer>> index = TopicFilters.hasWildcard(filter) ? wildcard : exact;
        index.computeIfAbsent(filter, key -> new LinkedHashMap<>()).put(session, qos);
    }

    void remove(Session session, String filter) {
        if (filter.startsWith(TopicFilters.SHARE_PREFIX)) {
            SharedGroup group = shared.get(filter);
            if (group != null) {
                group.members.remove(session);
                if (group.members.isEmpty()) {
                    shared.remove(filter);
                }
            }
            return;
        }
        Map<String, Map<Session, Integer>> index = TopicFilters.hasWildcard(filter) ? wildcard : exact;
        Map<Session, Integer> subscribers = index.get(filter);
        if (subscribers != null) {
            subscribers.remove(session);
            if (subscribers.isEmpty()) {
                index.remove(filter);
            }
        }
    }

    /**
     * Every delivery one publish makes. A session with several matching subscriptions gets the message once, at
     * the highest QoS granted (MQTT 3.1.1, 3.3.5 allows either; AWS IoT Core delivers once).
     */
    List<Target> match(String topic) {
        Map<Session, Integer> targets = new LinkedHashMap<>();
        Map<Session, Integer> direct = exact.get(topic);
        if (direct != null) {
            targets.putAll(direct);
        }
        for (Map.Entry<String, Map<Session, Integer>> entry : wildcard.entrySet()) {
            if (TopicFilters.matches(entry.getKey(), topic)) {
                entry.getValue().forEach((session, qos) -> targets.merge(session, qos, Math::max));
            }
        }
        List<Target> result = new ArrayList<>(targets.size() + 1);
        targets.forEach((session, qos) -> result.add(new Target(session, qos)));
        for (SharedGroup group : shared.values()) {
            if (TopicFilters.matches(group.filter, topic)) {
                group.next().ifPresent(result::add);
            }
        }
        return result;
    }

    /** The members of one {@code $share/<group>/<filter>}; connected members are preferred, in turn. */
    private static final class SharedGroup {
        final String filter;
        final Map<Session, Integer> members = new LinkedHashMap<>();
        private int turn;

        SharedGroup(String filter) {
            this.filter = filter;
        }

        java.util.Optional<Target> next() {
            List<Map.Entry<Session, Integer>> all = new ArrayList<>(members.entrySet());
            for (int i = 0; i < all.size(); i++) {
                Map.Entry<Session, Integer> candidate = all.get((turn + i) % all.size());
                if (candidate.getKey().connection.isPresent()) {
                    turn = (turn + i + 1) % all.size();
                    return java.util.Optional.of(new Target(candidate.getKey(), candidate.getValue()));
                }
            }
            if (all.isEmpty()) {
                return java.util.Optional.empty();
            }
            Map.Entry<Session, Integer> offline = all.get(turn % all.size());
            turn = (turn + 1) % all.size();
            return java.util.Optional.of(new Target(offline.getKey(), offline.getValue()));
        }
    }
}
