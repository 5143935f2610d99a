package dev.tether.local.rules;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

/**
 * What a topic rule's action invokes with each message it selects: the stand-in for the IoT rule Lambda action,
 * which invokes its function asynchronously (AWS IoT developer guide, "Lambda" rule action). The Lambda runtime
 * stand-in implements it.
 *
 * <p>Called on the broker's event loop, after the publish that triggered it has been routed; it must not block.
 * The returned future says whether the invocation succeeded; a failure is logged and not retried.
 */
@FunctionalInterface
public interface TopicRuleFunction {
    /**
     * Handles one selected message.
     *
     * @param topic the topic the message was published to
     * @param payload the message's JSON payload, as {@code SELECT *} selects it
     */
    Future<Void> invoke(String topic, JsonObject payload);
}
