package dev.tether.local.iam;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PolicyTest {
    private static final String ARN = "arn:aws:iot:us-east-1:000000000000:";

    @Test
    @DisplayName("an explicit Deny wins over an Allow of the same request")
    void denyWins() {
        Policy policy = Policy.parse("""
                {"Version": "2012-10-17", "Statement": [
                  {"Effect": "Allow", "Action": "iot:*", "Resource": "*"},
                  {"Effect": "Deny", "Action": "iot:Publish", "Resource": "%stopic/secret"}]}
                """.formatted(ARN));

        assertThat(policy.evaluate("iot:Publish", ARN + "topic/secret", Map.of()))
                .isEqualTo(Decision.EXPLICIT_DENY);
        assertThat(policy.evaluate("iot:Publish", ARN + "topic/open", Map.of())).isEqualTo(Decision.ALLOWED);
    }

    @Test
    @DisplayName("a request no statement matches is denied by default")
    void defaultDeny() {
        Policy policy = Policy.allowing(List.of("iot:Connect"), List.of(ARN + "client/a"));

        assertThat(policy.evaluate("iot:Publish", ARN + "topic/x", Map.of())).isEqualTo(Decision.IMPLICIT_DENY);
        assertThat(policy.evaluate("iot:Connect", ARN + "client/b", Map.of())).isEqualTo(Decision.IMPLICIT_DENY);
    }

    @Test
    @DisplayName("* matches any run of characters, slashes included, and ? exactly one")
    void wildcards() {
        Policy policy = Policy.allowing(List.of("iot:Pub*"), List.of(ARN + "topic/a/*/c", ARN + "topic/x?"));

        assertThat(policy.evaluate("iot:Publish", ARN + "topic/a/b/c", Map.of()).isAllowed()).isTrue();
        assertThat(policy.evaluate("iot:Publish", ARN + "topic/a/b/b/c", Map.of()).isAllowed()).isTrue();
        assertThat(policy.evaluate("iot:Publish", ARN + "topic/x1", Map.of()).isAllowed()).isTrue();
        assertThat(policy.evaluate("iot:Publish", ARN + "topic/x12", Map.of()).isAllowed()).isFalse();
        assertThat(policy.evaluate("iot:Publish", ARN + "topic/x", Map.of()).isAllowed()).isFalse();
        assertThat(policy.evaluate("iot:Subscribe", ARN + "topic/x1", Map.of()).isAllowed()).isFalse();
    }

    @Test
    @DisplayName("actions match case-insensitively, resources case-sensitively")
    void caseRules() {
        Policy policy = Policy.allowing(List.of("iot:publish"), List.of(ARN + "topic/Abc"));

        assertThat(policy.evaluate("iot:Publish", ARN + "topic/Abc", Map.of()).isAllowed()).isTrue();
        assertThat(policy.evaluate("iot:Publish", ARN + "topic/abc", Map.of()).isAllowed()).isFalse();
    }

    @Test
    @DisplayName("${iot:ClientId} is replaced by the connecting client's id")
    void clientIdVariable() {
        Policy policy = Policy.allowing(List.of("iot:Connect"), List.of(ARN + "client/${iot:ClientId}"));

        assertThat(policy.evaluate("iot:Connect", ARN + "client/me", Map.of("iot:ClientId", "me")).isAllowed())
                .isTrue();
        assertThat(policy.evaluate("iot:Connect", ARN + "client/other", Map.of("iot:ClientId", "me"))
                .isAllowed()).isFalse();
    }

    @Test
    @DisplayName("a session policy narrows the role policy: only what both allow is allowed")
    void intersection() {
        Permissions role = Permissions.of(Policy.allowing(List.of("iot:*"), List.of("*")));
        Permissions session = role.intersect(Policy.allowing(List.of("iot:Publish"), List.of(ARN + "topic/mine")));

        assertThat(session.evaluate("iot:Publish", ARN + "topic/mine", Map.of())).isEqualTo(Decision.ALLOWED);
        assertThat(session.evaluate("iot:Publish", ARN + "topic/other", Map.of()))
                .isEqualTo(Decision.IMPLICIT_DENY);
        assertThat(session.evaluate("iot:Subscribe", ARN + "topicfilter/mine", Map.of()))
                .isEqualTo(Decision.IMPLICIT_DENY);

        Permissions narrowRole = Permissions.of(Policy.allowing(List.of("iot:Connect"), List.of("*")));
        Permissions wideSession = narrowRole.intersect(Policy.allowing(List.of("iot:*"), List.of("*")));
        assertThat(wideSession.evaluate("iot:Publish", ARN + "topic/mine", Map.of()).isAllowed()).isFalse();
    }

    @Test
    @DisplayName("Statement may be a single object and Action and Resource single strings")
    void singleValues() {
        Policy policy = Policy.parse("""
                {"Statement": {"Sid": "one", "Effect": "Allow", "Action": "iot:Connect", "Resource": "*"}}""");

        assertThat(policy.statements()).hasSize(1);
        assertThat(policy.evaluate("iot:Connect", ARN + "client/a", Map.of()).isAllowed()).isTrue();
    }

    @Test
    @DisplayName("elements this stand-in does not evaluate are refused, naming them")
    void unsupportedElements() {
        assertThatThrownBy(() -> Policy.parse("""
                {"Statement": [{"Effect": "Allow", "NotAction": "iot:Connect", "Resource": "*"}]}"""))
                .isInstanceOf(PolicyInvalid.class)
                .hasMessageContaining("NotAction");
        assertThatThrownBy(() -> Policy.parse("""
                {"Statement": [{"Effect": "Allow", "Action": "iot:*", "Resource": "*", "Condition": {}}]}"""))
                .isInstanceOf(PolicyInvalid.class)
                .hasMessageContaining("Condition");
    }

    @Test
    @DisplayName("malformed documents are refused with what is wrong")
    void malformed() {
        assertThatThrownBy(() -> Policy.parse("{not json"))
                .isInstanceOf(PolicyInvalid.class)
                .hasMessageContaining("not valid JSON");
        assertThatThrownBy(() -> Policy.parse("{\"Version\": \"2012-10-17\"}"))
                .hasMessageContaining("no Statement");
        assertThatThrownBy(() -> Policy.parse("""
                {"Statement": [{"Effect": "Maybe", "Action": "iot:*", "Resource": "*"}]}"""))
                .hasMessageContaining("'Allow' and 'Deny'");
        assertThatThrownBy(() -> Policy.parse("""
                {"Statement": [{"Effect": "Allow", "Resource": "*"}]}"""))
                .hasMessageContaining("no Action");
        assertThatThrownBy(() -> Policy.parse("""
                {"Statement": [{"Effect": "Allow", "Action": [], "Resource": "*"}]}"""))
                .hasMessageContaining("empty Action");
    }
}
