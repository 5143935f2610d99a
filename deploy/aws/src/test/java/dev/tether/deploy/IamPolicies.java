package dev.tether.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tether.local.iam.Policy;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The permission policies of a template's IAM roles, evaluated, and judged with the local stand-in's IAM
 * evaluation, which AWS IoT Core's own policy semantics back ({@code *} and {@code ?} match within a resource ARN).
 */
final class IamPolicies {
    private static final ObjectMapper JSON = new ObjectMapper();

    private IamPolicies() {
    }

    /** Each permission statement of the template, with the role or policy that holds it. */
    static List<Owned> statements(Template template) {
        List<Owned> statements = new ArrayList<>();
        for (Template.Resource role : template.resourcesOfType("AWS::IAM::Role")) {
            for (Object inline : Template.list(template.property(role, "Policies"))) {
                Object document = Template.map(inline).get("PolicyDocument");
                for (Object statement : Template.list(Template.map(document).get("Statement"))) {
                    statements.add(new Owned(role.name(), Template.map(statement)));
                }
            }
        }
        for (String type : List.of("AWS::IAM::Policy", "AWS::IAM::ManagedPolicy")) {
            for (Template.Resource policy : template.resourcesOfType(type)) {
                Object document = template.property(policy, "PolicyDocument");
                for (Object statement : Template.list(Template.map(document).get("Statement"))) {
                    statements.add(new Owned(policy.name(), Template.map(statement)));
                }
            }
        }
        return statements;
    }

    /**
     * Everything one role may do: its inline policies and the policy resources attached to it. A role with an AWS
     * managed policy fails, since what such a policy allows cannot be checked here.
     */
    static Policy of(Template template, String roleName) {
        Template.Resource role = template.resource(roleName);
        assertThat(template.property(role, "ManagedPolicyArns")).as("%s's managed policies", roleName).isNull();
        List<Object> statements = new ArrayList<>();
        for (Object inline : Template.list(template.property(role, "Policies"))) {
            statements.addAll(Template.list(Template.map(Template.map(inline).get("PolicyDocument")).get("Statement")));
        }
        for (Template.Resource policy : template.resourcesOfType("AWS::IAM::Policy")) {
            if (Template.list(template.property(policy, "Roles")).contains("{Ref:" + roleName + "}")) {
                statements.addAll(Template.list(Template.map(template.property(policy, "PolicyDocument"))
                        .get("Statement")));
            }
        }
        return Policy.fromJson(JSON.valueToTree(Map.of("Version", "2012-10-17", "Statement", statements)));
    }

    /** Whether the policy allows the action on the resource. */
    static boolean allows(Policy policy, String action, String resource) {
        return policy.evaluate(action, resource, Map.of()).isAllowed();
    }

    /**
     * A statement and where it is.
     *
     * @param owner the role or policy resource
     * @param statement the evaluated statement
     */
    record Owned(String owner, Map<String, Object> statement) {
        List<String> actions() {
            return Template.list(statement.get("Action")).stream().map(String::valueOf).toList();
        }

        List<String> resources() {
            return Template.list(statement.get("Resource")).stream().map(String::valueOf).toList();
        }
    }
}
