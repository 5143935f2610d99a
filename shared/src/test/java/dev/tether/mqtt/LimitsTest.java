package dev.tether.mqtt;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class LimitsTest {
    @Test
    void topicOf256Bytes_passes_and257_isRefused() {
        assertThatCode(() -> Limits.checkTopicName("t".repeat(256), "topic")).doesNotThrowAnyException();
        assertThatThrownBy(() -> Limits.checkTopicName("t".repeat(257), "topic"))
                .isInstanceOf(MqttLimitExceeded.class)
                .hasMessageContaining("topic is 257 bytes in UTF-8; AWS IoT Core accepts at most 256");
    }

    @Test
    void sevenSlashes_pass_andEight_areRefused() {
        assertThatCode(() -> Limits.checkTopicName("a/b/c/d/e/f/g/h", "topic")).doesNotThrowAnyException();
        assertThatThrownBy(() -> Limits.checkTopicName("a/b/c/d/e/f/g/h/i", "topic"))
                .isInstanceOf(MqttLimitExceeded.class)
                .hasMessageContaining("8 slashes");
    }

    @Test
    void basicIngestPrefix_slashesAreNotCounted() {
        assertThatCode(() -> Limits.checkTopicName("$aws/rules/rule/a/b/c/d/e/f/g/h", "topic"))
                .doesNotThrowAnyException();
    }

    @Test
    void wildcards_areRefusedInTopicNames_andMisplacedInFilters() {
        assertThatThrownBy(() -> Limits.checkTopicName("a/#", "topic")).hasMessageContaining("wildcard");
        assertThatCode(() -> Limits.checkTopicFilter("a/+/c/#", "filter")).doesNotThrowAnyException();
        assertThatCode(() -> Limits.checkTopicFilter("#", "filter")).doesNotThrowAnyException();
        assertThatThrownBy(() -> Limits.checkTopicFilter("a/#/c", "filter")).hasMessageContaining("misplaces");
        assertThatThrownBy(() -> Limits.checkTopicFilter("a/b+", "filter")).hasMessageContaining("misplaces");
        assertThatThrownBy(() -> Limits.checkTopicFilter("a#", "filter")).hasMessageContaining("misplaces");
    }

    @Test
    void emptyTopic_isRefused() {
        assertThatThrownBy(() -> Limits.checkTopicName("", "topic")).hasMessageContaining("topic is empty");
    }
}
