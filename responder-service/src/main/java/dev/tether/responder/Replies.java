package dev.tether.responder;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

/**
 * Sends answers to one request. Each message goes out at QoS 1 on the channel's response topic, with the request's
 * id as {@code inReplyTo} when it had one. May be called from any thread; never blocks.
 */
public interface Replies {
    /**
     * Publishes an answer.
     *
     * @param fields the answer's fields; {@code type} and {@code inReplyTo} are refused, they belong to the protocol
     * @return completes on the broker's PUBACK, or fails when the session has ended or the connection is gone
     */
    Future<Void> answer(JsonObject fields);

    /** Publishes {@code {"type": "error", "error": message}} for the request. */
    Future<Void> error(String message);
}
