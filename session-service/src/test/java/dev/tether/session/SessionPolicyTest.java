package dev.tether.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tether.channel.ChannelId;
import dev.tether.channel.ChannelIds;
import dev.tether.channel.ChannelSecret;
import dev.tether.topic.Topics;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class SessionPolicyTest {
    private static final ChannelIds CHANNEL_IDS = new ChannelIds(
            ChannelSecret.fromUtf8("a-channel-secret-of-at-least-32-bytes!"), Clock.systemUTC(), new SecureRandom());

    private static Map<String, List<Object>> resourcesByAction(String document) {
        Map<String, List<Object>> byAction = new LinkedHashMap<>();
        JsonArray statements = new JsonObject(document).getJsonArray("Statement");
        for (int i = 0; i < statements.size(); i++) {
            JsonObject statement = statements.getJsonObject(i);
            assertThat(statement.getString("Effect")).isEqualTo("Allow");
            List<Object> resources = new ArrayList<>();
            statement.getJsonArray("Resource").forEach(resources::add);
            byAction.put(statement.getString("Action"), resources);
        }
        return byAction;
    }

    @Test
    @DisplayName("the policy allows connecting as the client, subscribing to and receiving the response topic, and "
            + "publishing to the request and session topics, and nothing else")
    void allowsOnlyTheChannel() {
        ChannelId channel = CHANNEL_IDS.issue(Duration.ofMinutes(5));
        String clientId = MintedChannel.clientIdOf(channel);
        SessionPolicy policy = new SessionPolicy(new Topics("apps/chat"),
                ClientRole.of("arn:aws:iam::123456789012:role/tether-client"), "eu-west-1");

        Map<String, List<Object>> allowed = resourcesByAction(policy.forChannel(channel, clientId));

        String arn = "arn:aws:iot:eu-west-1:123456789012:";
        assertThat(allowed).containsExactly(
                Map.entry("iot:Connect", List.of(arn + "client/tether-client-" + channel.value())),
                Map.entry("iot:Subscribe", List.of(arn + "topicfilter/apps/chat/" + channel.value() + "/response")),
                Map.entry("iot:Receive", List.of(arn + "topic/apps/chat/" + channel.value() + "/response")),
                Map.entry("iot:Publish", List.of(arn + "topic/apps/chat/" + channel.value() + "/request",
                        arn + "topic/apps/chat/session")));
    }

    @Test
    @DisplayName("resource ARNs take the role's partition and account")
    void usesTheRolesPartition() {
        ChannelId channel = CHANNEL_IDS.issue(Duration.ofMinutes(5));
        SessionPolicy policy = new SessionPolicy(Topics.withDefaultPrefix(),
                ClientRole.of("arn:aws-cn:iam::210987654321:role/path/tether-client"), "cn-north-1");

        assertThat(policy.forChannel(channel, MintedChannel.clientIdOf(channel)))
                .contains("\"arn:aws-cn:iot:cn-north-1:210987654321:client/tether-client-")
                .doesNotContain("arn:aws:");
    }

    @Test
    @DisplayName("with the longest topic prefix Tether allows, the policy stays within STS's 2048 characters")
    void longestPrefixFitsStsLimit() {
        String longest = "p".repeat(30) + "/" + "q".repeat(30) + "/" + "r".repeat(30) + "/" + "s".repeat(30) + "/"
                + "t".repeat(30) + "/" + "u".repeat(30);
        assertThat(longest).hasSize(185);
        ChannelId channel = CHANNEL_IDS.issue(Duration.ofMinutes(5));
        SessionPolicy policy = new SessionPolicy(new Topics(longest),
                ClientRole.of("arn:aws-us-gov:iam::123456789012:role/tether-client"), "us-gov-west-1");

        assertThat(policy.forChannel(channel, MintedChannel.clientIdOf(channel)))
                .hasSizeLessThanOrEqualTo(SessionPolicy.MAX_POLICY_CHARS);
    }

    @Test
    @DisplayName("a client role that is not an IAM role ARN is refused, saying what is allowed")
    void refusesNonRoleArn() {
        assertThatThrownBy(() -> ClientRole.of("arn:aws:iam::123456789012:user/alice"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("client role 'arn:aws:iam::123456789012:user/alice' is not an IAM role ARN; allowed is "
                        + "arn:aws:iam::<12-digit account>:role/<name>");
    }
}
