package dev.tether.local.rules;

import dev.tether.IotLimits;
import io.vertx.core.json.JsonObject;

import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The subset of the AWS IoT SQL language this stand-in runs: {@code SELECT * FROM '<topic filter>'}, optionally
 * followed by {@code WHERE <field> = <value>} or {@code <>}, where the field is a JSON path of names separated
 * by dots and the value a single-quoted string, a number, {@code true} or {@code false}. Keywords are
 * case-insensitive. Anything else is refused with {@link RuleSqlInvalid}, never half-understood.
 *
 * @param topicFilter the FROM topic filter
 * @param condition the WHERE condition, if any
 */
public record RuleSql(String topicFilter, Optional<Condition> condition) {
    private static final Pattern SELECT_FROM = Pattern.compile(
            "^\\s*SELECT\\s+\\*\\s+FROM\\s+'([^']+)'\\s*(?:WHERE\\s+(.*?))?\\s*$",
            Pattern.CASE_INSENSITIVE | Pattern.DOTALL);
    private static final Pattern COMPARISON = Pattern.compile(
            "^([A-Za-z_][A-Za-z0-9_]*(?:\\.[A-Za-z_][A-Za-z0-9_]*)*)\\s*(=|<>)\\s*"
                    + "('[^']*'|-?\\d+(?:\\.\\d+)?|true|false)$", Pattern.CASE_INSENSITIVE);

    /** Refuses nulls. */
    public RuleSql {
        Objects.requireNonNull(topicFilter, "topicFilter");
        Objects.requireNonNull(condition, "condition");
    }

    /**
     * Parses a statement.
     *
     * @throws RuleSqlInvalid naming what is wrong and what is supported
     */
    public static RuleSql parse(String sql) {
        if (sql == null || sql.isBlank()) {
            throw new RuleSqlInvalid("the rule SQL is empty; write SELECT * FROM '<topic filter>'");
        }
        Matcher statement = SELECT_FROM.matcher(sql);
        if (!statement.matches()) {
            throw new RuleSqlInvalid("the rule SQL '" + sql + "' is not supported; supported is SELECT * FROM"
                    + " '<topic filter>' with an optional WHERE <field> = <value>");
        }
        String filter = statement.group(1);
        if (filter.getBytes(java.nio.charset.StandardCharsets.UTF_8).length > IotLimits.MAX_TOPIC_BYTES) {
            throw new RuleSqlInvalid("the FROM topic filter is longer than " + IotLimits.MAX_TOPIC_BYTES + " bytes");
        }
        if (statement.group(2) == null) {
            return new RuleSql(filter, Optional.empty());
        }
        Matcher comparison = COMPARISON.matcher(statement.group(2).trim());
        if (!comparison.matches()) {
            throw new RuleSqlInvalid("the WHERE clause '" + statement.group(2).trim() + "' is not supported;"
                    + " supported is SELECT * FROM '<topic filter>' WHERE <field> = <value> (or <>), with one"
                    + " comparison whose value is a 'string', a number, true or false");
        }
        return new RuleSql(filter, Optional.of(new Condition(comparison.group(1), "<>".equals(comparison.group(2)),
                literal(comparison.group(3)))));
    }

    /** Whether a JSON payload satisfies the WHERE condition; true when there is none. */
    public boolean selects(JsonObject payload) {
        return condition.map(c -> c.test(payload)).orElse(true);
    }

    private static Object literal(String text) {
        if (text.startsWith("'")) {
            return text.substring(1, text.length() - 1);
        }
        if ("true".equalsIgnoreCase(text) || "false".equalsIgnoreCase(text)) {
            return Boolean.valueOf(text.toLowerCase(java.util.Locale.ROOT));
        }
        return new java.math.BigDecimal(text);
    }

    /**
     * One comparison of a payload field with a literal.
     *
     * @param field the dotted path of the field
     * @param negated whether the operator is {@code <>}
     * @param value a String, Boolean or BigDecimal
     */
    public record Condition(String field, boolean negated, Object value) {
        boolean test(JsonObject payload) {
            Object actual = payload;
            for (String name : field.split("\\.")) {
                actual = actual instanceof JsonObject object ? object.getValue(name) : null;
            }
            // AWS IoT SQL: a comparison with an undefined field is undefined, and WHERE passes only true.
            if (actual == null) {
                return false;
            }
            return equal(actual) != negated;
        }

        private boolean equal(Object actual) {
            if (value instanceof java.math.BigDecimal number) {
                return actual instanceof Number n && new java.math.BigDecimal(n.toString()).compareTo(number) == 0;
            }
            return value.equals(actual);
        }
    }
}
