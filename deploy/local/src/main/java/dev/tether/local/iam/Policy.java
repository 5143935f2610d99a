package dev.tether.local.iam;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * An IAM policy document: its statements, evaluated as IAM does (IAM user guide, "Policy evaluation logic"): an
 * explicit Deny wins, then any Allow, and a request no statement matches is denied by default.
 *
 * <p>Understood: {@code Version}, {@code Id}, and statements with {@code Sid}, {@code Effect}, {@code Action} and
 * {@code Resource} (each a string or a list of strings). Refused with {@link PolicyInvalid}, so that a policy is
 * never silently wider or narrower than written: {@code NotAction}, {@code NotResource}, {@code Condition} and
 * {@code Principal}. Immutable and thread-safe.
 *
 * @param statements the statements, in document order
 */
public record Policy(List<Statement> statements) {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<String> STATEMENT_FIELDS = Set.of("Sid", "Effect", "Action", "Resource");
    private static final Set<String> DOCUMENT_FIELDS = Set.of("Version", "Id", "Statement");

    /** Copies the list. */
    public Policy {
        statements = List.copyOf(statements);
    }

    /**
     * Parses a policy document.
     *
     * @throws PolicyInvalid naming what is wrong and what is allowed
     */
    public static Policy parse(String document) {
        JsonNode root;
        try {
            root = JSON.readTree(document);
        } catch (JsonProcessingException e) {
            throw new PolicyInvalid("the policy is not valid JSON: " + e.getOriginalMessage());
        }
        return fromJson(root);
    }

    /**
     * Reads a policy from a parsed JSON (or YAML) tree.
     *
     * @throws PolicyInvalid naming what is wrong and what is allowed
     */
    public static Policy fromJson(JsonNode root) {
        if (root == null || !root.isObject()) {
            throw new PolicyInvalid("a policy must be a JSON object with a Statement");
        }
        for (Iterator<String> names = root.fieldNames(); names.hasNext();) {
            String name = names.next();
            if (!DOCUMENT_FIELDS.contains(name)) {
                throw new PolicyInvalid("the policy has the element '" + name + "'; allowed are " + DOCUMENT_FIELDS);
            }
        }
        JsonNode statementNode = root.get("Statement");
        if (statementNode == null) {
            throw new PolicyInvalid("the policy has no Statement");
        }
        List<Statement> statements = new ArrayList<>();
        if (statementNode.isArray()) {
            for (JsonNode node : statementNode) {
                statements.add(statement(node, statements.size()));
            }
        } else {
            statements.add(statement(statementNode, 0));
        }
        return new Policy(statements);
    }

    /** A policy with one Allow statement of the given actions on the given resources. */
    public static Policy allowing(List<String> actions, List<String> resources) {
        return new Policy(List.of(new Statement(Effect.ALLOW, actions, resources)));
    }

    /**
     * Evaluates one request.
     *
     * @param action such as {@code iot:Publish}
     * @param resource the ARN of the resource
     * @param variables policy variables by name without {@code ${}}, such as {@code iot:ClientId}
     */
    public Decision evaluate(String action, String resource, Map<String, String> variables) {
        boolean allowed = false;
        for (Statement statement : statements) {
            if (statement.matches(action, resource, variables)) {
                if (statement.effect() == Effect.DENY) {
                    return Decision.EXPLICIT_DENY;
                }
                allowed = true;
            }
        }
        return allowed ? Decision.ALLOWED : Decision.IMPLICIT_DENY;
    }

    private static Statement statement(JsonNode node, int index) {
        String where = "statement " + (index + 1);
        if (!node.isObject()) {
            throw new PolicyInvalid(where + " is not a JSON object");
        }
        for (Iterator<String> names = node.fieldNames(); names.hasNext();) {
            String name = names.next();
            if (!STATEMENT_FIELDS.contains(name)) {
                throw new PolicyInvalid(where + " has the element '" + name + "', which this stand-in does not"
                        + " evaluate; allowed are " + STATEMENT_FIELDS);
            }
        }
        JsonNode effect = node.get("Effect");
        Effect parsed;
        if (effect != null && "Allow".equals(effect.asText())) {
            parsed = Effect.ALLOW;
        } else if (effect != null && "Deny".equals(effect.asText())) {
            parsed = Effect.DENY;
        } else {
            throw new PolicyInvalid(where + " has Effect " + (effect == null ? "missing" : "'" + effect.asText()
                    + "'") + "; allowed are 'Allow' and 'Deny'");
        }
        return new Statement(parsed, strings(node.get("Action"), where, "Action"),
                strings(node.get("Resource"), where, "Resource"));
    }

    private static List<String> strings(JsonNode node, String where, String element) {
        if (node == null) {
            throw new PolicyInvalid(where + " has no " + element);
        }
        List<String> values = new ArrayList<>();
        if (node.isTextual()) {
            values.add(node.asText());
        } else if (node.isArray()) {
            for (JsonNode value : node) {
                if (!value.isTextual()) {
                    throw new PolicyInvalid(where + " has a " + element + " that is not a string: " + value);
                }
                values.add(value.asText());
            }
        } else {
            throw new PolicyInvalid(where + " has " + element + " " + node + "; it must be a string or a list of"
                    + " strings");
        }
        if (values.isEmpty()) {
            throw new PolicyInvalid(where + " has an empty " + element);
        }
        return values;
    }
}
