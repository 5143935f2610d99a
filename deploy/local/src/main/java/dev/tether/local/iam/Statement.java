package dev.tether.local.iam;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * One statement of a policy: an effect, the actions and the resources it applies to, each a pattern in which
 * {@code *} matches any run of characters and {@code ?} exactly one. Actions match case-insensitively, resources
 * case-sensitively, as IAM does.
 *
 * @param effect Allow or Deny
 * @param actions action patterns such as {@code iot:Publish} or {@code iot:*}
 * @param resources resource ARN patterns, which may hold the policy variable {@code ${iot:ClientId}}
 */
public record Statement(Effect effect, List<String> actions, List<String> resources) {
    /** Copies the lists and refuses nulls and empty lists. */
    public Statement {
        Objects.requireNonNull(effect, "effect");
        actions = List.copyOf(actions);
        resources = List.copyOf(resources);
        if (actions.isEmpty() || resources.isEmpty()) {
            throw new PolicyInvalid("a statement needs at least one Action and one Resource");
        }
    }

    /** Whether this statement applies to the action on the resource, after substituting policy variables. */
    public boolean matches(String action, String resource, Map<String, String> variables) {
        boolean actionMatches = false;
        for (String pattern : actions) {
            if (Wildcards.matches(pattern.toLowerCase(Locale.ROOT),
                    action.toLowerCase(Locale.ROOT))) {
                actionMatches = true;
                break;
            }
        }
        if (!actionMatches) {
            return false;
        }
        for (String pattern : resources) {
            if (Wildcards.matches(substitute(pattern, variables), resource)) {
                return true;
            }
        }
        return false;
    }

    private static String substitute(String pattern, Map<String, String> variables) {
        if (pattern.indexOf("${") < 0) {
            return pattern;
        }
        String result = pattern;
        for (Map.Entry<String, String> variable : variables.entrySet()) {
            result = result.replace("${" + variable.getKey() + "}", variable.getValue());
        }
        return result;
    }
}
