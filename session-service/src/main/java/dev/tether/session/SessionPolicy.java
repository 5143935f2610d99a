package dev.tether.session;

import dev.tether.channel.ChannelId;
import dev.tether.topic.Topics;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Objects;

/**
 * The inline session policy that scopes one client's temporary credentials to its own channel.
 *
 * <p>STS intersects it with the client role's own policy, so the credentials allow at most: {@code iot:Connect} as
 * the channel's client id; {@code iot:Subscribe} to and {@code iot:Receive} on the channel's response topic;
 * {@code iot:Publish} to the channel's request topic and to the session topic (AWS IoT developer guide, "AWS IoT
 * Core policy actions" and "AWS IoT Core action resources": Subscribe is checked against a {@code topicfilter}
 * ARN, Publish and Receive against a {@code topic} ARN, Connect against a {@code client} ARN).
 */
public final class SessionPolicy {
    /**
     * Most characters STS accepts in an inline session policy (AWS STS API reference, AssumeRole, "Policy").
     */
    public static final int MAX_POLICY_CHARS = 2048;

    private final Topics topics;
    private final String arnPrefix;

    /**
     * Policies for channels under the given topics, with IoT resources in the role's partition and account and the
     * given region.
     */
    public SessionPolicy(Topics topics, ClientRole role, String region) {
        this.topics = Objects.requireNonNull(topics, "topics");
        Objects.requireNonNull(role, "role");
        Objects.requireNonNull(region, "region");
        this.arnPrefix = "arn:" + role.partition() + ":iot:" + region + ":" + role.accountId() + ":";
    }

    /**
     * The policy document for one channel and its client id, as compact JSON.
     *
     * @throws IllegalStateException if the document exceeds {@value #MAX_POLICY_CHARS} characters, which a topic
     *         prefix within Tether's limits never causes
     */
    public String forChannel(ChannelId channel, String clientId) {
        String response = topics.response(channel);
        JsonArray statements = new JsonArray()
                .add(allow("iot:Connect", new JsonArray().add(arnPrefix + "client/" + clientId)))
                .add(allow("iot:Subscribe", new JsonArray().add(arnPrefix + "topicfilter/" + response)))
                .add(allow("iot:Receive", new JsonArray().add(arnPrefix + "topic/" + response)))
                .add(allow("iot:Publish", new JsonArray()
                        .add(arnPrefix + "topic/" + topics.request(channel))
                        .add(arnPrefix + "topic/" + topics.session())));
        String document = new JsonObject()
                .put("Version", "2012-10-17")
                .put("Statement", statements)
                .encode();
        if (document.length() > MAX_POLICY_CHARS) {
            throw new IllegalStateException("session policy for channel " + channel.value() + " has "
                    + document.length() + " characters; STS allows at most " + MAX_POLICY_CHARS);
        }
        return document;
    }

    private static JsonObject allow(String action, JsonArray resources) {
        return new JsonObject()
                .put("Effect", "Allow")
                .put("Action", action)
                .put("Resource", resources);
    }
}
