package dev.tether.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tether.channel.ChannelId;
import dev.tether.channel.ChannelIds;
import dev.tether.channel.ChannelSecret;
import dev.tether.local.iam.Permissions;
import dev.tether.local.iam.Policy;
import dev.tether.responder.ResponderVerticle;
import dev.tether.responder.container.ResponderContainer;
import dev.tether.session.ClientRole;
import dev.tether.session.MintedChannel;
import dev.tether.session.SessionPolicy;
import dev.tether.topic.Topics;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The IAM policies of both templates: nothing wider than Tether needs, every AWS IoT resource under the stack's
 * topic prefix, account and region, and each role allowed exactly what the code does, judged with the channel's
 * real topic names and client ids.
 */
class IotPoliciesTest {
    private static final String PREFIX = "acme/chat-1";
    private static final String NONCE = "0123456789ab";
    /** Actions that take no resource, for which AWS requires {@code "Resource": "*"}. */
    private static final Set<String> RESOURCE_STAR_REQUIRED = Set.of("ecr:GetAuthorizationToken");
    private static final Set<String> IOT_ACTIONS = Set.of("iot:Connect", "iot:Publish", "iot:RetainPublish",
            "iot:Subscribe", "iot:Receive");

    private final ChannelId channel = new ChannelIds(ChannelSecret.fromUtf8("a secret for the policy tests, 32 bytes+"),
            Clock.systemUTC(), new SecureRandom()).issue(Duration.ofMinutes(5));
    private final Topics topics = new Topics(PREFIX);
    private final String clientId = MintedChannel.clientIdOf(channel);
    private final Template sam = Repository.sam(Map.of("TopicPrefix", PREFIX));
    private final Template fargate = Repository.fargate(Map.of("TopicPrefix", PREFIX));

    @Test
    @DisplayName("No statement allows every action of a service, nor any resource unless AWS requires it")
    void noWildcardActions_noStarResources() {
        for (Template template : List.of(sam, sam.with(Map.of("ResponderRuntime", "fargate")), fargate)) {
            List<IamPolicies.Owned> statements = IamPolicies.statements(template);
            assertThat(statements).isNotEmpty();
            for (IamPolicies.Owned owned : statements) {
                assertThat(owned.statement()).as(owned.owner()).containsEntry("Effect", "Allow");
                assertThat(owned.actions()).as(owned.owner()).noneMatch(action -> action.contains("*"));
                if (owned.resources().contains("*")) {
                    assertThat(owned.actions()).as("%s allows %s on any resource", owned.owner(), owned.actions())
                            .isSubsetOf(RESOURCE_STAR_REQUIRED);
                }
            }
        }
    }

    @Test
    @DisplayName("Every AWS IoT resource is in the stack's account and region and under its topic prefix")
    void iotResources_areUnderThePrefix() {
        String share = Pattern.quote("$share/" + fargate.parameter("ShareGroup") + "/" + topics.session());
        Pattern allowed = Pattern.compile(Pattern.quote(Template.ARN_IOT) + "("
                + "client/tether-(client|responder)-\\*"
                + "|topic(filter)?/" + Pattern.quote(PREFIX) + "/[^*]*(\\*/[a-z]+)?"
                + "|topic(filter)?/\\$aws/events/presence/(connected|disconnected)/tether-client-\\*"
                + "|topicfilter/" + share + ")");
        List<String> checked = new ArrayList<>();
        for (Template template : List.of(sam, fargate)) {
            for (IamPolicies.Owned owned : IamPolicies.statements(template)) {
                if (owned.actions().stream().noneMatch(action -> action.startsWith("iot:"))) {
                    continue;
                }
                assertThat(owned.actions()).as(owned.owner()).isSubsetOf(IOT_ACTIONS);
                assertThat(owned.resources()).as(owned.owner()).allMatch(arn -> allowed.matcher(arn).matches());
                checked.addAll(owned.resources());
            }
        }
        assertThat(checked).hasSizeGreaterThan(10);
    }

    @Test
    @DisplayName("The Lambda responder may do what ResponderVerticle does for a channel, and no more")
    void lambdaResponder_mayServeChannels_only() {
        Policy policy = IamPolicies.of(sam, "ResponderFunctionRole");

        assertAllowed(policy, responderNeeds());
        assertDenied(policy, responderMustNot());
        assertDenied(policy, List.of(new Request("iot:Subscribe", "topicfilter/" + topics.sharedSession("any"))));
    }

    @Test
    @DisplayName("The Fargate task may also take session messages from its shared subscription, and no more")
    void fargateResponder_mayShareTheSessionTopic_andServeChannels_only() {
        Policy policy = IamPolicies.of(fargate, "TaskRole");
        String group = fargate.parameter("ShareGroup");
        List<Request> needs = new ArrayList<>(responderNeeds());
        needs.add(new Request("iot:Connect", "client/" + ResponderContainer.LISTENER_ID_PREFIX + NONCE));
        needs.add(new Request("iot:Subscribe", "topicfilter/" + topics.sharedSession(group)));
        needs.add(new Request("iot:Receive", "topic/" + topics.session()));

        assertAllowed(policy, needs);
        assertDenied(policy, responderMustNot());
        assertDenied(policy, List.of(new Request("iot:Subscribe", "topicfilter/" + topics.sharedSession("other")),
                new Request("iot:Subscribe", "topicfilter/" + topics.session())));
    }

    @Test
    @DisplayName("The client role lets a session policy grant what SessionPolicy grants, and never a responder's part")
    void clientRole_isTheCeilingOfSessionPolicies() {
        Policy role = IamPolicies.of(sam, "ClientRole");
        Policy session = Policy.parse(new SessionPolicy(topics, ClientRole.of("arn:aws:iam::" + Template.ACCOUNT
                + ":role/tether-test-ClientRole"), Template.REGION).forChannel(channel, clientId));
        Permissions credentials = Permissions.of(role).intersect(session);

        for (Request request : List.of(new Request("iot:Connect", "client/" + clientId),
                new Request("iot:Subscribe", "topicfilter/" + topics.response(channel)),
                new Request("iot:Receive", "topic/" + topics.response(channel)),
                new Request("iot:Publish", "topic/" + topics.request(channel)),
                new Request("iot:Publish", "topic/" + topics.session()))) {
            assertThat(credentials.evaluate(request.action(), request.arn(), Map.of()).isAllowed())
                    .as("a session's credentials allow %s", request).isTrue();
        }
        assertDenied(role, List.of(
                new Request("iot:Connect", "client/" + ResponderVerticle.RESPONDER_ID_PREFIX + channel.value()),
                new Request("iot:Publish", "topic/" + topics.response(channel)),
                new Request("iot:Publish", "topic/" + topics.claim(channel)),
                new Request("iot:RetainPublish", "topic/" + topics.claim(channel)),
                new Request("iot:Subscribe", "topicfilter/" + topics.request(channel)),
                new Request("iot:Publish", "topic/" + new Topics("other").session())));
    }

    @Test
    @DisplayName("The session function itself has no AWS IoT permission; it may only assume the client role")
    void sessionFunction_mayOnlyAssumeTheClientRole() {
        Policy policy = IamPolicies.of(sam, "SessionFunctionRole");

        assertThat(policy.evaluate("sts:AssumeRole", "{GetAtt:ClientRole.Arn}", Map.of()).isAllowed()).isTrue();
        assertThat(policy.evaluate("sts:AssumeRole", "arn:aws:iam::" + Template.ACCOUNT + ":role/other", Map.of())
                .isAllowed()).isFalse();
        assertDenied(policy, List.of(new Request("iot:Connect", "client/" + clientId),
                new Request("iot:Publish", "topic/" + topics.session())));
    }

    private List<Request> responderNeeds() {
        String client = MintedChannel.clientIdOf(channel);
        List<Request> needs = new ArrayList<>();
        needs.add(new Request("iot:Connect", "client/" + ResponderVerticle.RESPONDER_ID_PREFIX + channel.value()
                + "-" + NONCE));
        for (String filter : List.of(topics.request(channel), topics.claim(channel),
                topics.presenceConnected(client), topics.presenceDisconnected(client))) {
            needs.add(new Request("iot:Subscribe", "topicfilter/" + filter));
            needs.add(new Request("iot:Receive", "topic/" + filter));
        }
        // Answers and the will (end: responder-lost) go to the response topic; the claim is retained.
        needs.add(new Request("iot:Publish", "topic/" + topics.response(channel)));
        needs.add(new Request("iot:Publish", "topic/" + topics.claim(channel)));
        needs.add(new Request("iot:RetainPublish", "topic/" + topics.claim(channel)));
        return needs;
    }

    private List<Request> responderMustNot() {
        return List.of(new Request("iot:Connect", "client/" + clientId),
                new Request("iot:Publish", "topic/" + topics.request(channel)),
                new Request("iot:Publish", "topic/" + topics.session()),
                new Request("iot:RetainPublish", "topic/" + topics.response(channel)),
                new Request("iot:Publish", "topic/" + new Topics("other").response(channel)),
                new Request("iot:Subscribe", "topicfilter/#"),
                new Request("iot:Subscribe", "topicfilter/" + PREFIX + "/#"),
                new Request("iot:Receive", "topic/" + topics.response(channel)));
    }

    private static void assertAllowed(Policy policy, List<Request> requests) {
        for (Request request : requests) {
            assertThat(IamPolicies.allows(policy, request.action(), request.arn())).as("allows %s", request).isTrue();
        }
    }

    private static void assertDenied(Policy policy, List<Request> requests) {
        for (Request request : requests) {
            assertThat(IamPolicies.allows(policy, request.action(), request.arn())).as("denies %s", request).isFalse();
        }
    }

    /** One request AWS IoT Core authorizes: an action on a resource of this account and region. */
    private record Request(String action, String resource) {
        String arn() {
            return Template.ARN_IOT + resource;
        }

        @Override
        public String toString() {
            return action + " " + resource;
        }
    }
}
