package dev.tether.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tether.config.ConfigVariable;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The environment each deployed service gets against what its code reads: every variable a service cannot start
 * without is set (or set by the runtime), every variable set is one the service reads, and the values that tie the
 * service to the rest of the stack come from the stack.
 */
class EnvironmentTest {
    private final Template sam = Repository.sam(Map.of());
    private final Template fargate = Repository.fargate(Map.of());

    @Test
    @DisplayName("Every variable in ConfigVariable is read by the session service's or the responder's configuration")
    void everyConfigVariable_isReadBySomeService() {
        Set<String> read = new TreeSet<>(ServiceVariables.SESSION.read());
        read.addAll(ServiceVariables.RESPONDER.read());

        assertThat(read).containsAll(Arrays.stream(ConfigVariable.values()).map(ConfigVariable::name).toList());
    }

    @Test
    @DisplayName("Each Lambda function sets what its service requires, except what Lambda sets, and nothing Lambda"
            + " reserves")
    void lambdaFunctions_setWhatTheirServiceRequires() {
        Map<String, ServiceVariables> functions = Map.of("SessionFunction", ServiceVariables.SESSION,
                "ResponderFunction", ServiceVariables.RESPONDER);
        functions.forEach((name, service) -> {
            Set<String> set = lambdaVariables(sam, name).keySet();
            Set<String> required = new TreeSet<>(service.required());
            required.removeAll(ServiceVariables.LAMBDA_RESERVED);

            assertThat(required).as("%s requires", name).isNotEmpty();
            assertThat(set).as("%s sets", name).containsAll(required);
            assertThat(set).as("%s sets none of Lambda's reserved variables", name)
                    .doesNotContainAnyElementsOf(ServiceVariables.LAMBDA_RESERVED);
        });
        assertThat(ServiceVariables.SESSION.required()).as("Lambda sets AWS_REGION").contains("AWS_REGION");
    }

    @Test
    @DisplayName("Every variable a function sets is one its service reads")
    void lambdaFunctions_setOnlyWhatTheirServiceReads() {
        assertThat(ServiceVariables.SESSION.read()).containsAll(lambdaVariables(sam, "SessionFunction").keySet());
        assertThat(ServiceVariables.RESPONDER.read()).containsAll(lambdaVariables(sam, "ResponderFunction").keySet());
    }

    @Test
    @DisplayName("The Fargate task sets what the responder requires (the secret through ECS) and only what it reads")
    void fargateTask_setsWhatTheResponderRequires_andOnlyWhatItReads() {
        Map<String, Object> environment = containerVariables(fargate);
        Set<String> secrets = containerSecrets(fargate).keySet();
        Set<String> set = new TreeSet<>(environment.keySet());
        set.addAll(secrets);

        assertThat(set).containsAll(ServiceVariables.RESPONDER.required());
        assertThat(ServiceVariables.RESPONDER.read()).containsAll(set);
        assertThat(environment).doesNotContainKey(ConfigVariable.TETHER_CHANNEL_SECRET.name());
        assertThat(containerSecrets(fargate)).containsEntry(ConfigVariable.TETHER_CHANNEL_SECRET.name(),
                fargate.parameter("ChannelSecretArn"));
    }

    @Test
    @DisplayName("The topic prefix every service uses is the stack's TopicPrefix, to which the policies are scoped")
    void topicPrefix_comesFromTheParameter() {
        Template samChanged = sam.with(Map.of("TopicPrefix", "acme/chat-1"));
        Template fargateChanged = fargate.with(Map.of("TopicPrefix", "acme/chat-1"));

        for (String function : List.of("SessionFunction", "ResponderFunction")) {
            assertThat(lambdaVariables(samChanged, function)).as(function)
                    .containsEntry(ConfigVariable.TETHER_TOPIC_PREFIX.name(), "acme/chat-1");
        }
        assertThat(containerVariables(fargateChanged)).containsEntry(ConfigVariable.TETHER_TOPIC_PREFIX.name(),
                "acme/chat-1");
    }

    @Test
    @DisplayName("The IoT endpoint comes from the parameter; the region of the task is the stack's")
    void endpointAndRegion_comeFromTheStack() {
        for (String function : List.of("SessionFunction", "ResponderFunction")) {
            assertThat(lambdaVariables(sam, function)).as(function)
                    .containsEntry(ConfigVariable.AWS_IOT_HOST.name(), sam.parameter("IotEndpoint"));
        }
        assertThat(containerVariables(fargate))
                .containsEntry(ConfigVariable.AWS_IOT_HOST.name(), fargate.parameter("IotEndpoint"))
                .containsEntry(ConfigVariable.AWS_REGION.name(), Template.REGION);
    }

    @Test
    @DisplayName("The session service assumes the stack's client role, which trusts the session function's role only")
    void session_assumesTheClientRole_thatTrustsOnlyIt() {
        assertThat(lambdaVariables(sam, "SessionFunction"))
                .containsEntry(ConfigVariable.TETHER_CLIENT_ROLE_ARN.name(), "{GetAtt:ClientRole.Arn}");
        assertThat(lambdaVariables(sam, "ResponderFunction"))
                .doesNotContainKey(ConfigVariable.TETHER_CLIENT_ROLE_ARN.name());

        Object trust = sam.property(sam.resource("ClientRole"), "AssumeRolePolicyDocument", "Statement");
        assertThat(Template.list(trust)).hasSize(1);
        Map<String, Object> statement = Template.map(Template.list(trust).get(0));
        assertThat(statement).containsEntry("Effect", "Allow").containsEntry("Action", "sts:AssumeRole");
        assertThat(statement.get("Principal"))
                .isEqualTo(Map.of("AWS", sam.text(sam.resource("SessionFunction"), "Role")));
    }

    private static Map<String, Object> lambdaVariables(Template template, String function) {
        Object variables = template.property(template.resource(function), "Environment", "Variables");
        return variables == null ? Map.of() : Template.map(variables);
    }

    private static Map<String, Object> containerVariables(Template template) {
        Map<String, Object> variables = new HashMap<>();
        for (Object entry : Template.list(container(template).get("Environment"))) {
            variables.put(String.valueOf(Template.map(entry).get("Name")), Template.map(entry).get("Value"));
        }
        return variables;
    }

    private static Map<String, Object> containerSecrets(Template template) {
        Map<String, Object> secrets = new HashMap<>();
        for (Object entry : Template.list(container(template).get("Secrets"))) {
            secrets.put(String.valueOf(Template.map(entry).get("Name")), Template.map(entry).get("ValueFrom"));
        }
        return secrets;
    }

    static Map<String, Object> container(Template template) {
        List<Template.Resource> tasks = template.resourcesOfType("AWS::ECS::TaskDefinition");
        assertThat(tasks).hasSize(1);
        List<Object> containers = Template.list(template.property(tasks.get(0), "ContainerDefinitions"));
        assertThat(containers).hasSize(1);
        return Template.map(containers.get(0));
    }
}
