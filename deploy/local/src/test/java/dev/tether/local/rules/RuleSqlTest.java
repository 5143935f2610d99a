package dev.tether.local.rules;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RuleSqlTest {
    @Test
    @DisplayName("SELECT * FROM a filter selects every JSON payload")
    void selectAll() {
        RuleSql sql = RuleSql.parse("SELECT * FROM 'tether/session'");

        assertThat(sql.topicFilter()).isEqualTo("tether/session");
        assertThat(sql.condition()).isEmpty();
        assertThat(sql.selects(new JsonObject().put("channelId", "x"))).isTrue();
    }

    @Test
    @DisplayName("keywords are case-insensitive and the filter may hold wildcards")
    void caseAndWildcards() {
        assertThat(RuleSql.parse("select *   from '$aws/events/presence/+/+'").topicFilter())
                .isEqualTo("$aws/events/presence/+/+");
    }

    @Test
    @DisplayName("WHERE compares strings, numbers and booleans, nested fields included")
    void where() {
        JsonObject payload = new JsonObject()
                .put("type", "start")
                .put("count", 3)
                .put("ok", true)
                .put("inner", new JsonObject().put("name", "n"));

        assertThat(RuleSql.parse("SELECT * FROM 'a' WHERE type = 'start'").selects(payload)).isTrue();
        assertThat(RuleSql.parse("SELECT * FROM 'a' WHERE type = 'stop'").selects(payload)).isFalse();
        assertThat(RuleSql.parse("SELECT * FROM 'a' WHERE count = 3.0").selects(payload)).isTrue();
        assertThat(RuleSql.parse("SELECT * FROM 'a' WHERE count = 4").selects(payload)).isFalse();
        assertThat(RuleSql.parse("SELECT * FROM 'a' WHERE ok = true").selects(payload)).isTrue();
        assertThat(RuleSql.parse("SELECT * FROM 'a' WHERE inner.name = 'n'").selects(payload)).isTrue();
        assertThat(RuleSql.parse("SELECT * FROM 'a' WHERE type <> 'stop'").selects(payload)).isTrue();
        assertThat(RuleSql.parse("SELECT * FROM 'a' WHERE missing = 'x'").selects(payload)).isFalse();
        assertThat(RuleSql.parse("SELECT * FROM 'a' WHERE count = '3'").selects(payload)).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"SELECT a FROM 'x'", "SELECT * FROM x", "DELETE FROM 'x'",
            "SELECT * FROM 'x' WHERE a > 1", "SELECT * FROM 'x' WHERE a = 1 AND b = 2", "SELECT * FROM 'x' LIMIT 1",
            "SELECT * FROM 'x' WHERE a = \"b\"", "  "})
    @DisplayName("anything beyond the supported subset is refused with what is supported")
    void refused(String sql) {
        assertThatThrownBy(() -> RuleSql.parse(sql))
                .isInstanceOf(RuleSqlInvalid.class)
                .hasMessageContaining("SELECT * FROM");
    }
}
