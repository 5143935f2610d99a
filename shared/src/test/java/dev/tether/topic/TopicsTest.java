package dev.tether.topic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tether.channel.ChannelId;
import dev.tether.channel.ChannelIds;
import dev.tether.channel.ChannelSecret;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

class TopicsTest {
    private static final ChannelIds CHANNEL_IDS = new ChannelIds(
            ChannelSecret.fromUtf8("a channel secret for topic tests, 32+ bytes"), Clock.systemUTC(),
            new SecureRandom());

    private final ChannelId channel = CHANNEL_IDS.issue(Duration.ofMinutes(5));

    @Test
    @DisplayName("The default prefix yields the topics of the original pattern")
    void defaultPrefix_yieldsTheDocumentedTopics() {
        Topics topics = Topics.withDefaultPrefix();

        assertThat(topics.prefix()).isEqualTo("tether");
        assertThat(topics.session()).isEqualTo("tether/session");
        assertThat(topics.request(channel)).isEqualTo("tether/" + channel.value() + "/request");
        assertThat(topics.response(channel)).isEqualTo("tether/" + channel.value() + "/response");
        assertThat(topics.claim(channel)).isEqualTo("tether/" + channel.value() + "/claim");
        assertThat(topics.sharedSession("responders")).isEqualTo("$share/responders/tether/session");
        assertThat(topics.presenceConnected("client-1")).isEqualTo("$aws/events/presence/connected/client-1");
        assertThat(topics.presenceDisconnected("client-1")).isEqualTo("$aws/events/presence/disconnected/client-1");
    }

    @Test
    void configuredPrefix_isUsedInEveryChannelTopic() {
        Topics topics = new Topics("acme/prod_1/tether-x");

        assertThat(topics.session()).isEqualTo("acme/prod_1/tether-x/session");
        assertThat(topics.request(channel)).startsWith("acme/prod_1/tether-x/").endsWith("/request");
        assertThat(topics.claim(channel)).isEqualTo("acme/prod_1/tether-x/" + channel.value() + "/claim");
        assertThat(topics.sharedSession("g")).isEqualTo("$share/g/acme/prod_1/tether-x/session");
    }

    @Test
    void topicsWithTheSamePrefix_areEqual() {
        assertThat(new Topics("a/b")).isEqualTo(new Topics("a/b")).isNotEqualTo(new Topics("a"));
    }

    @Test
    void nullPrefix_isRefused() {
        assertThatThrownBy(() -> new Topics(null))
                .isInstanceOf(TopicInvalid.class)
                .hasMessage("topic prefix is missing (null)");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "/tether", "tether/", "a//b", "te+ther", "te#ther", "a/+", "a/#", "$aws",
        "$share/g", "t\u00e9ther", "a b", "a.b", "a\nb", "\u202etether"})
    @DisplayName("A prefix with an empty segment, a wildcard, $, unicode or punctuation is refused with the rule")
    void prefixOfTheWrongShape_isRefused(String prefix) {
        assertThatThrownBy(() -> new Topics(prefix))
                .isInstanceOf(TopicInvalid.class)
                .hasMessageContaining("is not allowed; allowed are one or more segments of A-Z a-z 0-9 _ - "
                        + "separated by single slashes, with no slash at either end");
    }

    @Test
    @DisplayName("A control character in a refused prefix is shown escaped, not raw")
    void refusedPrefix_isShownEscaped() {
        assertThatThrownBy(() -> new Topics("a\nb"))
                .hasMessageContaining("'a\\u000Ab'")
                .message().doesNotContain("\n");
    }

    @Test
    @DisplayName("The longest prefix keeps the response topic at exactly 256 bytes; one more byte is refused")
    void prefixLength_isBoundByTheLongestTopic() {
        String longest = "p".repeat(185);
        Topics topics = new Topics(longest);

        assertThat(topics.response(channel).getBytes(StandardCharsets.UTF_8)).hasSize(256);
        assertThat(Topics.validateTopicName(topics.response(channel))).isEqualTo(topics.response(channel));
        assertThatThrownBy(() -> new Topics(longest + "p"))
                .isInstanceOf(TopicInvalid.class)
                .hasMessageContaining("has 186 characters and 0 slashes; allowed are at most 185 characters and "
                        + "5 slashes");
    }

    @Test
    @DisplayName("A prefix of six segments keeps the response topic at 7 slashes; a seventh segment is refused")
    void prefixDepth_isBoundByTheSlashLimit() {
        Topics deepest = new Topics("a/b/c/d/e/f");

        assertThat(Topics.validateTopicName(deepest.response(channel))).isNotEmpty();
        assertThat(deepest.response(channel).chars().filter(c -> c == '/')).hasSize(7);
        assertThatThrownBy(() -> new Topics("a/b/c/d/e/f/g"))
                .isInstanceOf(TopicInvalid.class)
                .hasMessageContaining("has 13 characters and 6 slashes; allowed are at most 185 characters and "
                        + "5 slashes");
    }

    @Test
    void validTopicName_isReturnedUnchanged() {
        assertThat(Topics.validateTopicName("tether/session")).isEqualTo("tether/session");
    }

    @Test
    void nullTopicName_isRefused() {
        assertThatThrownBy(() -> Topics.validateTopicName(null))
                .isInstanceOf(TopicInvalid.class)
                .hasMessage("topic name is missing (null)");
    }

    @Test
    void emptyTopicName_isRefused() {
        assertThatThrownBy(() -> Topics.validateTopicName(""))
                .isInstanceOf(TopicInvalid.class)
                .hasMessageContaining("topic name is empty");
    }

    @ParameterizedTest
    @ValueSource(strings = {"a/+/b", "a/#", "#", "+", "sport+"})
    void wildcardInTopicName_isRefused(String topic) {
        assertThatThrownBy(() -> Topics.validateTopicName(topic))
                .isInstanceOf(TopicInvalid.class)
                .hasMessageContaining("has the wildcard")
                .hasMessageContaining("wildcards are allowed only in topic filters");
    }

    @Test
    void nulCharacterInTopicName_isRefused() {
        assertThatThrownBy(() -> Topics.validateTopicName("a\u0000b"))
                .isInstanceOf(TopicInvalid.class)
                .hasMessageContaining("has a NUL character at index 1");
    }

    @Test
    void loneSurrogateInTopicName_isRefused() {
        assertThatThrownBy(() -> Topics.validateTopicName("a/\ud83d/b"))
                .isInstanceOf(TopicInvalid.class)
                .hasMessageContaining("lone surrogate U+D83D at index 2");
    }

    @Test
    @DisplayName("Length is counted in UTF-8 bytes: 256 bytes pass, 257 or more are refused with the count")
    void topicName_isLimitedTo256Utf8Bytes() {
        assertThat(Topics.validateTopicName("a".repeat(256))).hasSize(256);
        assertThat(Topics.validateTopicName("\u00e9".repeat(128))).hasSize(128);
        assertThat(Topics.validateTopicName("\ud83d\ude00".repeat(64))).hasSize(128);

        assertThatThrownBy(() -> Topics.validateTopicName("a".repeat(257)))
                .isInstanceOf(TopicInvalid.class)
                .hasMessageContaining("has 257 UTF-8 bytes; AWS IoT Core allows at most 256");
        assertThatThrownBy(() -> Topics.validateTopicName("\u00e9".repeat(129)))
                .isInstanceOf(TopicInvalid.class)
                .hasMessageContaining("has 258 UTF-8 bytes");
    }

    @Test
    void refusedLongTopicName_isShownShortened() {
        assertThatThrownBy(() -> Topics.validateTopicName("a".repeat(1000)))
                .hasMessageContaining("a".repeat(64) + "...'")
                .message().doesNotContain("a".repeat(65));
    }

    @Test
    void topicName_isLimitedTo7Slashes() {
        assertThat(Topics.validateTopicName("1/2/3/4/5/6/7/8")).isNotEmpty();

        assertThatThrownBy(() -> Topics.validateTopicName("1/2/3/4/5/6/7/8/9"))
                .isInstanceOf(TopicInvalid.class)
                .hasMessageContaining("has 8 slashes; AWS IoT Core allows at most 7");
    }

    @Test
    @DisplayName("The $aws/rules/<rule>/ prefix of Basic Ingest does not count towards the length or the slashes")
    void basicIngestPrefix_isNotCounted() {
        String rule = "$aws/rules/my_rule/";

        assertThat(Topics.validateTopicName(rule + "1/2/3/4/5/6/7/8")).isNotEmpty();
        assertThat(Topics.validateTopicName(rule + "a".repeat(256))).isNotEmpty();
        assertThat(Topics.validateTopicName("$AWS/rules/my_rule/" + "1/2/3/4/5/6/7/8")).isNotEmpty();

        assertThatThrownBy(() -> Topics.validateTopicName(rule + "1/2/3/4/5/6/7/8/9"))
                .hasMessageContaining("has 8 slashes");
        assertThatThrownBy(() -> Topics.validateTopicName(rule + "a".repeat(257)))
                .hasMessageContaining("has 257 UTF-8 bytes");
    }

    @Test
    @DisplayName("Other $aws topics, such as presence events, are counted in full")
    void otherReservedTopics_areCountedInFull() {
        assertThatThrownBy(() -> Topics.validateTopicName("$aws/events/presence/disconnected/a/b/c/d/e"))
                .isInstanceOf(TopicInvalid.class)
                .hasMessageContaining("has 8 slashes");
    }

    @ParameterizedTest
    @NullAndEmptySource
    void missingSharedSubscriptionGroup_isRefused(String group) {
        assertThatThrownBy(() -> Topics.withDefaultPrefix().sharedSession(group))
                .isInstanceOf(TopicInvalid.class)
                .hasMessageContaining("shared subscription group is")
                .hasMessageContaining("allowed are 1 to 128 characters of A-Z a-z 0-9 _ -");
    }

    @Test
    void sharedSubscriptionGroup_outsideTheAllowedShape_isRefused() {
        for (String group : List.of("a/b", "a+b", "#", "$share", "gr\u00fcn", "a b", "g".repeat(129))) {
            assertThatThrownBy(() -> Topics.withDefaultPrefix().sharedSession(group))
                    .as(group)
                    .isInstanceOf(TopicInvalid.class)
                    .hasMessageContaining("is not allowed; allowed are 1 to 128 characters of A-Z a-z 0-9 _ -");
        }
    }

    @ParameterizedTest
    @NullAndEmptySource
    void missingClientId_isRefused(String clientId) {
        assertThatThrownBy(() -> Topics.withDefaultPrefix().presenceDisconnected(clientId))
                .isInstanceOf(TopicInvalid.class)
                .hasMessageContaining("client id is")
                .hasMessageContaining("allowed is 1 to 128 UTF-8 bytes without / + # or NUL");
    }

    @ParameterizedTest
    @ValueSource(strings = {"a/b", "a+b", "a#b", "a\u0000b"})
    void clientIdWithTopicSyntax_isRefused(String clientId) {
        assertThatThrownBy(() -> Topics.withDefaultPrefix().presenceDisconnected(clientId))
                .isInstanceOf(TopicInvalid.class)
                .hasMessageContaining("at index 1; a client id in a topic may not hold / + # or NUL");
        assertThatThrownBy(() -> Topics.withDefaultPrefix().presenceConnected(clientId))
                .isInstanceOf(TopicInvalid.class)
                .hasMessageContaining("at index 1; a client id in a topic may not hold / + # or NUL");
    }

    @Test
    @DisplayName("A client id may be any UTF-8 up to 128 bytes; 129 bytes are refused")
    void clientId_isLimitedTo128Bytes() {
        Topics topics = Topics.withDefaultPrefix();

        assertThat(topics.presenceDisconnected("\u00e9".repeat(64))).endsWith("\u00e9".repeat(64));
        assertThatThrownBy(() -> topics.presenceDisconnected("c".repeat(129)))
                .isInstanceOf(TopicInvalid.class)
                .hasMessageContaining("has 129 UTF-8 bytes; AWS IoT Core allows at most 128");
    }

    @Test
    void channelTopics_refuseNull() {
        Topics topics = Topics.withDefaultPrefix();

        assertThatThrownBy(() -> topics.request(null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> topics.response(null)).isInstanceOf(NullPointerException.class);
    }
}
