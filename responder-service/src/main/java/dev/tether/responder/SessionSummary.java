package dev.tether.responder;

import dev.tether.wire.EndReason;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.Objects;

/**
 * How a session went, once it ended.
 *
 * @param channelId the channel served
 * @param requests  requests received and passed to the handler, redeliveries not counted
 * @param refused   requests refused with an {@code error} message (malformed, oversize)
 * @param duration  from the session message to the {@code end} message
 * @param reason    why it ended
 */
public record SessionSummary(String channelId, long requests, long refused, Duration duration, EndReason reason) {
    /** Refuses nulls. */
    public SessionSummary {
        Objects.requireNonNull(channelId, "channelId");
        Objects.requireNonNull(duration, "duration");
        Objects.requireNonNull(reason, "reason");
    }

    /** The summary as JSON, as the Lambda entrypoint returns it. */
    public JsonObject toJson() {
        return new JsonObject()
                .put("channelId", channelId)
                .put("requests", requests)
                .put("refused", refused)
                .put("durationMillis", duration.toMillis())
                .put("reason", reason.wireName());
    }
}
