package dev.tether.local.iot;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class TopicFiltersTest {
    @Test
    @DisplayName("+ matches exactly one level and # any number of trailing levels, the parent included")
    void wildcards() {
        assertThat(TopicFilters.matches("a/+/c", "a/b/c")).isTrue();
        assertThat(TopicFilters.matches("a/+/c", "a/b/b/c")).isFalse();
        assertThat(TopicFilters.matches("a/+", "a/")).isTrue();
        assertThat(TopicFilters.matches("a/#", "a/b/c")).isTrue();
        assertThat(TopicFilters.matches("a/#", "a")).isTrue();
        assertThat(TopicFilters.matches("a/#", "ab")).isFalse();
        assertThat(TopicFilters.matches("#", "x/y")).isTrue();
        assertThat(TopicFilters.matches("a/b", "a/b")).isTrue();
        assertThat(TopicFilters.matches("a/b", "a/bc")).isFalse();
    }

    @Test
    @DisplayName("filters starting with a wildcard do not match $ topics (MQTT 3.1.1, 4.7.2)")
    void dollarTopics() {
        assertThat(TopicFilters.matches("#", "$aws/events/presence/connected/a")).isFalse();
        assertThat(TopicFilters.matches("+/events/#", "$aws/events/x")).isFalse();
        assertThat(TopicFilters.matches("$aws/events/presence/+/a", "$aws/events/presence/connected/a")).isTrue();
    }

    @Test
    @DisplayName("malformed filters and filters beyond AWS's limits are refused with a reason")
    void problems() {
        assertThat(TopicFilters.problem("a/b#")).hasValueSatisfying(m -> assertThat(m).contains("'#'"));
        assertThat(TopicFilters.problem("a/#/b")).isPresent();
        assertThat(TopicFilters.problem("a/b+")).hasValueSatisfying(m -> assertThat(m).contains("'+'"));
        assertThat(TopicFilters.problem("")).isPresent();
        assertThat(TopicFilters.problem("a/".repeat(8) + "a")).hasValueSatisfying(m -> assertThat(m)
                .contains("8 slashes"));
        assertThat(TopicFilters.problem("x".repeat(257))).hasValueSatisfying(m -> assertThat(m)
                .contains("257 UTF-8 bytes"));
        assertThat(TopicFilters.problem("$share/g")).isPresent();
        assertThat(TopicFilters.problem("$share/g/a/+")).isEmpty();
        assertThat(TopicFilters.problem("a/".repeat(7) + "#")).isEmpty();
    }
}
