package dev.tether.local.rules;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BiPredicate;

/**
 * The topic rules of the IoT Core stand-in. Each routed message is offered to every rule; a rule whose FROM filter
 * matches and whose WHERE holds has its function invoked on a later turn of the event loop, never inside the
 * publisher's path, as the IoT rule Lambda action invokes asynchronously.
 *
 * <p>Only JSON object payloads are selected: {@code SELECT *} on anything else is skipped with a debug line.
 * Rules may be added and removed from any thread.
 */
public final class TopicRules {
    private static final Logger LOG = LoggerFactory.getLogger(TopicRules.class);

    private final List<Rule> rules = new CopyOnWriteArrayList<>();
    private final BiPredicate<String, String> filterMatches;

    /** @param filterMatches decides whether a topic filter (first) matches a topic name (second) */
    public TopicRules(BiPredicate<String, String> filterMatches) {
        this.filterMatches = Objects.requireNonNull(filterMatches, "filterMatches");
    }

    /** A registered rule. */
    public record Rule(String name, RuleSql sql, TopicRuleFunction function) {
    }

    /**
     * Adds a rule.
     *
     * @throws RuleSqlInvalid when the SQL is not supported
     * @throws IllegalArgumentException when the name is empty or in use
     */
    public Rule add(String name, String sql, TopicRuleFunction function) {
        Objects.requireNonNull(function, "function");
        if (name == null || !name.matches("[A-Za-z0-9_]{1,128}")) {
            throw new IllegalArgumentException("rule name '" + name + "' is not allowed; AWS allows 1 to 128 of"
                    + " A-Z a-z 0-9 _");
        }
        if (rules.stream().anyMatch(rule -> rule.name().equals(name))) {
            throw new IllegalArgumentException("a rule named " + name + " already exists");
        }
        Rule rule = new Rule(name, RuleSql.parse(sql), function);
        rules.add(rule);
        return rule;
    }

    /** Removes a rule by name; says whether there was one. */
    public boolean remove(String name) {
        return rules.removeIf(rule -> rule.name().equals(name));
    }

    /** Offers one routed message to every rule. Call on the broker's context. */
    public void dispatch(Vertx vertx, String topic, Buffer payload) {
        if (rules.isEmpty()) {
            return;
        }
        JsonObject json = null;
        for (Rule rule : rules) {
            if (!filterMatches.test(rule.sql().topicFilter(), topic)) {
                continue;
            }
            if (json == null) {
                try {
                    Object parsed = Json.decodeValue(payload);
                    if (!(parsed instanceof JsonObject object)) {
                        LOG.debug("rule {}: payload on {} is not a JSON object, skipped", rule.name(), topic);
                        return;
                    }
                    json = object;
                } catch (DecodeException e) {
                    LOG.debug("rule {}: payload on {} is not JSON, skipped", rule.name(), topic);
                    return;
                }
            }
            if (rule.sql().selects(json)) {
                JsonObject selected = json.copy();
                vertx.runOnContext(v -> invoke(rule, topic, selected));
            }
        }
    }

    private static void invoke(Rule rule, String topic, JsonObject payload) {
        Future<Void> result;
        try {
            result = rule.function().invoke(topic, payload);
        } catch (RuntimeException e) {
            result = Future.failedFuture(e);
        }
        result.onFailure(e -> LOG.warn("rule {}: its function failed for a message on {}: {}", rule.name(), topic,
                e.toString()));
    }
}
