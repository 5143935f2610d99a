package dev.tether.local.iam;

import java.util.List;
import java.util.Map;

/**
 * The policies that together decide what one identity may do. A request is allowed only when every policy allows
 * it: this is how the session policy passed to STS AssumeRole limits the role's own policy (IAM user guide,
 * "Session policies": the permissions are the intersection of both). Immutable and thread-safe.
 *
 * @param policies every policy that must allow; never empty
 */
public record Permissions(List<Policy> policies) {
    /** Copies the list; refuses an empty one, which would allow nothing by accident of evaluation. */
    public Permissions {
        policies = List.copyOf(policies);
        if (policies.isEmpty()) {
            throw new IllegalArgumentException("permissions need at least one policy");
        }
    }

    /** Permissions of a single policy. */
    public static Permissions of(Policy policy) {
        return new Permissions(List.of(policy));
    }

    /** These permissions narrowed by one more policy. */
    public Permissions intersect(Policy sessionPolicy) {
        List<Policy> all = new java.util.ArrayList<>(policies);
        all.add(sessionPolicy);
        return new Permissions(all);
    }

    /**
     * Evaluates one request: an explicit Deny in any policy wins, then a policy that does not allow denies
     * implicitly, else it is allowed.
     */
    public Decision evaluate(String action, String resource, Map<String, String> variables) {
        Decision result = Decision.ALLOWED;
        for (Policy policy : policies) {
            Decision decision = policy.evaluate(action, resource, variables);
            if (decision == Decision.EXPLICIT_DENY) {
                return decision;
            }
            if (decision == Decision.IMPLICIT_DENY) {
                result = decision;
            }
        }
        return result;
    }
}
