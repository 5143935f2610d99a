package dev.tether.wire;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.util.Objects;

/**
 * {@code {"channelId": ...}}, published by a client on {@code <prefix>/session} to start its responder; the
 * original pattern's clients publish exactly this.
 *
 * <p>Decoding checks only the shape of a channel id (lower-case letters and digits, at most
 * {@value #MAX_CHANNEL_ID_CHARS} characters), so that it is safe to put into a topic; whether the session service
 * issued it, and whether it has expired, is for the channel id's own verification.
 *
 * @param channelId the channel the client opened
 */
public record SessionMessage(String channelId) {
    /** Longest channel id. */
    public static final int MAX_CHANNEL_ID_CHARS = 64;

    /** Refuses a channel id of the wrong shape, naming what is allowed. */
    public SessionMessage {
        Objects.requireNonNull(channelId, "channelId");
        checkChannelIdShape(channelId);
    }

    /** Parses and checks a session message. */
    public static SessionMessage decode(Buffer bytes) {
        JsonObject json = Json.parseObject(bytes, "a session message");
        return new SessionMessage(Json.requireString(json, "channelId", "a session message"));
    }

    /** The message as UTF-8 JSON bytes. */
    public Buffer encode() {
        return new JsonObject().put("channelId", channelId).toBuffer();
    }

    static void checkChannelIdShape(String channelId) {
        boolean shaped = !channelId.isEmpty() && channelId.length() <= MAX_CHANNEL_ID_CHARS
                && channelId.chars().allMatch(c -> (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'));
        if (!shaped) {
            throw new WireFormatInvalid("a channel id must be 1 to " + MAX_CHANNEL_ID_CHARS
                    + " lower-case letters and digits; got " + channelId.length() + " characters"
                    + (channelId.length() <= MAX_CHANNEL_ID_CHARS ? " \"" + channelId + "\"" : ""));
        }
    }
}
