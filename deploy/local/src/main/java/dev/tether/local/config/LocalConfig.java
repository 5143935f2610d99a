package dev.tether.local.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.tether.local.iam.Policy;
import dev.tether.local.iam.PolicyInvalid;
import dev.tether.local.iot.BrokerSettings;
import dev.tether.local.sts.Role;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * The configuration of the local IoT Core and STS stand-ins, read from a YAML (or JSON) file whose every entry is
 * optional; what it leaves out keeps the default of {@link #defaults()}.
 *
 * <pre>{@code
 * region: us-east-1
 * accountId: "000000000000"
 * host: 127.0.0.1
 * brokerPort: 9001          # ws://host:9001/mqtt
 * httpPort: 9002            # POST /topics/{topic} (iotdata) and POST / (STS)
 * minKeepAliveSeconds: 30
 * persistentSessionExpirySeconds: 3600
 * maxQueuedMessages: 1000
 * keys:                     # replaces the default keys when given
 *   - name: session-service
 *     accessKeyId: AKIALOCALSESSION01
 *     secretAccessKey: local-only-secret
 *     policy: {Version: "2012-10-17", Statement: [{Effect: Allow, Action: "iot:*", Resource: "*"}]}
 * roles:                    # replaces the default roles when given
 *   - arn: arn:aws:iam::000000000000:role/tether-client
 *     maxSessionSeconds: 3600
 *     policy: {...}
 * }</pre>
 *
 * @param broker the broker's settings
 * @param httpPort the port of the data plane and STS
 * @param keys the static keys of the services
 * @param roles the roles STS lets callers assume
 */
public record LocalConfig(BrokerSettings broker, int httpPort, List<StaticKey> keys, List<Role> roles) {
    private static final Set<String> FIELDS = Set.of("region", "accountId", "host", "brokerPort", "httpPort",
            "minKeepAliveSeconds", "persistentSessionExpirySeconds", "maxQueuedMessages", "keys", "roles");
    private static final String DEFAULT_ACCOUNT = "000000000000";

    /** Copies the lists and checks the port. */
    public LocalConfig {
        Objects.requireNonNull(broker, "broker");
        keys = List.copyOf(keys);
        roles = List.copyOf(roles);
        if (httpPort < 0 || httpPort > 65_535) {
            throw new LocalConfigInvalid("httpPort " + httpPort + " is not allowed; use 0 to 65535");
        }
    }

    /**
     * The defaults for one machine: broker on {@code ws://127.0.0.1:9001/mqtt}, data plane and STS on
     * {@code http://127.0.0.1:9002}, region us-east-1, account 000000000000, two service keys that may do anything
     * in IoT and assume any role ({@code session-service}: AKIALOCALSESSION0001 / local-session-secret;
     * {@code responder-service}: AKIALOCALRESPONDER01 / local-responder-secret), and the role
     * {@code arn:aws:iam::000000000000:role/tether-client} allowing every IoT action, which the session service
     * narrows with a session policy. These keys are public knowledge: the stand-in is for one machine only.
     */
    public static LocalConfig defaults() {
        Policy everything = Policy.allowing(List.of("iot:*", "sts:AssumeRole"), List.of("*"));
        return new LocalConfig(BrokerSettings.defaults(), 9002,
                List.of(new StaticKey("session-service", "AKIALOCALSESSION0001", "local-session-secret", everything),
                        new StaticKey("responder-service", "AKIALOCALRESPONDER01", "local-responder-secret",
                                everything)),
                List.of(new Role("arn:aws:iam::" + DEFAULT_ACCOUNT + ":role/tether-client",
                        Policy.allowing(List.of("iot:*"), List.of("*")), Duration.ofHours(1))));
    }

    /**
     * Reads a configuration file, YAML or JSON.
     *
     * @throws LocalConfigInvalid naming the file, the entry and what is allowed
     */
    public static LocalConfig load(Path file) {
        String text;
        try {
            text = Files.readString(file);
        } catch (IOException e) {
            throw new LocalConfigInvalid("cannot read the configuration file " + file + ": " + e.getMessage(), e);
        }
        try {
            return parse(text);
        } catch (LocalConfigInvalid e) {
            throw new LocalConfigInvalid(file + ": " + e.getMessage(), e);
        }
    }

    /**
     * Reads a configuration from YAML or JSON text.
     *
     * @throws LocalConfigInvalid naming the entry and what is allowed
     */
    public static LocalConfig parse(String yaml) {
        JsonNode root;
        try {
            root = new ObjectMapper(new YAMLFactory()).readTree(yaml);
        } catch (JsonProcessingException e) {
            throw new LocalConfigInvalid("not valid YAML: " + e.getOriginalMessage(), e);
        }
        LocalConfig defaults = defaults();
        if (root == null || root.isMissingNode() || root.isNull()) {
            return defaults;
        }
        if (!root.isObject()) {
            throw new LocalConfigInvalid("the configuration must be a mapping of entries such as brokerPort");
        }
        for (Iterator<String> names = root.fieldNames(); names.hasNext();) {
            String name = names.next();
            if (!FIELDS.contains(name)) {
                throw new LocalConfigInvalid("unknown entry '" + name + "'; allowed are " + FIELDS);
            }
        }
        BrokerSettings base = defaults.broker();
        try {
            BrokerSettings broker = new BrokerSettings(
                    text(root, "host", base.host()),
                    integer(root, "brokerPort", base.port()),
                    text(root, "region", base.region()),
                    text(root, "accountId", base.accountId()),
                    integer(root, "minKeepAliveSeconds", base.minKeepAliveSeconds()),
                    Duration.ofSeconds(integer(root, "persistentSessionExpirySeconds",
                            (int) base.persistentSessionExpiry().toSeconds())),
                    integer(root, "maxQueuedMessages", base.maxQueuedMessages()),
                    base.maxDateSkew());
            List<StaticKey> keys = root.has("keys") ? keys(root.get("keys")) : defaults.keys();
            List<Role> roles = root.has("roles") ? roles(root.get("roles")) : defaults.roles();
            return new LocalConfig(broker, integer(root, "httpPort", defaults.httpPort()), keys, roles);
        } catch (IllegalArgumentException | PolicyInvalid e) {
            throw new LocalConfigInvalid(e.getMessage(), e);
        }
    }

    private static List<StaticKey> keys(JsonNode node) {
        List<StaticKey> keys = new ArrayList<>();
        for (JsonNode key : list(node, "keys")) {
            only(key, "keys", Set.of("name", "accessKeyId", "secretAccessKey", "policy"));
            String name = text(key, "name", "key " + (keys.size() + 1));
            keys.add(new StaticKey(name, text(key, "accessKeyId", null), text(key, "secretAccessKey", null),
                    policy(key, "key '" + name + "'")));
        }
        return keys;
    }

    private static List<Role> roles(JsonNode node) {
        List<Role> roles = new ArrayList<>();
        for (JsonNode role : list(node, "roles")) {
            only(role, "roles", Set.of("arn", "policy", "maxSessionSeconds"));
            String arn = text(role, "arn", null);
            if (arn == null) {
                throw new LocalConfigInvalid("role " + (roles.size() + 1) + " has no arn");
            }
            roles.add(new Role(arn, policy(role, "role " + arn),
                    Duration.ofSeconds(integer(role, "maxSessionSeconds", 3600))));
        }
        return roles;
    }

    private static Iterable<JsonNode> list(JsonNode node, String name) {
        if (!node.isArray()) {
            throw new LocalConfigInvalid("'" + name + "' must be a list");
        }
        return node;
    }

    private static void only(JsonNode node, String where, Set<String> allowed) {
        if (!node.isObject()) {
            throw new LocalConfigInvalid("each entry of '" + where + "' must be a mapping");
        }
        for (Iterator<String> names = node.fieldNames(); names.hasNext();) {
            String name = names.next();
            if (!allowed.contains(name)) {
                throw new LocalConfigInvalid("an entry of '" + where + "' has '" + name + "'; allowed are "
                        + allowed);
            }
        }
    }

    private static Policy policy(JsonNode node, String where) {
        JsonNode policy = node.get("policy");
        if (policy == null) {
            throw new LocalConfigInvalid(where + " has no policy");
        }
        try {
            return policy.isTextual() ? Policy.parse(policy.asText()) : Policy.fromJson(policy);
        } catch (PolicyInvalid e) {
            throw new LocalConfigInvalid(where + ": " + e.getMessage(), e);
        }
    }

    private static String text(JsonNode node, String name, String fallback) {
        JsonNode value = node.get(name);
        if (value == null) {
            return fallback;
        }
        if (!value.isValueNode()) {
            throw new LocalConfigInvalid("'" + name + "' must be a single value, was " + value);
        }
        return value.asText();
    }

    private static int integer(JsonNode node, String name, int fallback) {
        JsonNode value = node.get(name);
        if (value == null) {
            return fallback;
        }
        if (!value.canConvertToInt() || !value.isIntegralNumber()) {
            throw new LocalConfigInvalid("'" + name + "' must be a whole number, was " + value);
        }
        return value.asInt();
    }
}
