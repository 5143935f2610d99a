package dev.tether.wire;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Objects;
import java.util.Optional;

/**
 * The session service's answer to {@code GET /session}: where to connect and which topics to use.
 *
 * <p>Services of the original pattern send only {@code endpointUrl} and {@code channelId}; the client then makes
 * up a client id and derives the topics from its prefix.
 *
 * @param endpointUrl the presigned {@code wss://} URL; it holds credentials, so {@link #toString()} hides its query
 * @param channelId   the channel opened for this session
 * @param clientId    the MQTT client id the URL's credentials allow, if the service said
 * @param topics      the session, request and response topics, if the service said
 * @param expiresAt   when the URL stops working, if the service said
 */
public record SessionGrant(String endpointUrl, String channelId, Optional<String> clientId, Optional<Topics> topics,
        Optional<Instant> expiresAt) {
    /** Checks that nothing is null and the channel id has its shape. */
    public SessionGrant {
        Objects.requireNonNull(endpointUrl, "endpointUrl");
        Objects.requireNonNull(channelId, "channelId");
        Objects.requireNonNull(clientId, "clientId");
        Objects.requireNonNull(topics, "topics");
        Objects.requireNonNull(expiresAt, "expiresAt");
        SessionMessage.checkChannelIdShape(channelId);
    }

    /**
     * The three topics of a session.
     *
     * @param session  where the session message goes, {@code <prefix>/session}
     * @param request  where requests go, {@code <prefix>/<channelId>/request}
     * @param response where answers come from, {@code <prefix>/<channelId>/response}
     */
    public record Topics(String session, String request, String response) {
        /** Refuses null topics. */
        public Topics {
            Objects.requireNonNull(session, "session");
            Objects.requireNonNull(request, "request");
            Objects.requireNonNull(response, "response");
        }

        /** The topics a prefix and channel id make, as DESIGN.md lays them out. */
        public static Topics derive(String prefix, String channelId) {
            return new Topics(prefix + "/session", prefix + "/" + channelId + "/request",
                    prefix + "/" + channelId + "/response");
        }

        JsonObject toJson() {
            return new JsonObject().put("session", session).put("request", request).put("response", response);
        }
    }

    /**
     * Parses and checks the service's answer.
     *
     * @throws WireFormatInvalid naming the missing or malformed field
     */
    public static SessionGrant decode(Buffer bytes) {
        JsonObject json = Json.parseObject(bytes, "the session service's answer");
        String what = "the session service's answer";
        String endpointUrl = Json.requireString(json, "endpointUrl", what);
        String channelId = Json.requireString(json, "channelId", what);
        Optional<String> clientId = json.containsKey("clientId")
                ? Optional.of(Json.requireString(json, "clientId", what))
                : Optional.empty();
        Optional<Topics> topics = Optional.empty();
        if (json.containsKey("topics")) {
            Object value = json.getValue("topics");
            if (!(value instanceof JsonObject object)) {
                throw new WireFormatInvalid(what + " needs \"topics\" as an object, got " + Json.describe(value));
            }
            String topicsWhat = what + "'s topics";
            topics = Optional.of(new Topics(Json.requireString(object, "session", topicsWhat),
                    Json.requireString(object, "request", topicsWhat),
                    Json.requireString(object, "response", topicsWhat)));
        }
        Optional<Instant> expiresAt = Optional.empty();
        if (json.containsKey("expiresAt")) {
            String text = Json.requireString(json, "expiresAt", what);
            try {
                expiresAt = Optional.of(Instant.parse(text));
            } catch (DateTimeParseException e) {
                throw new WireFormatInvalid(what + " needs \"expiresAt\" as an ISO-8601 instant such as "
                        + "2026-12-03T19:00:00Z, got \"" + text + "\"", e);
            }
        }
        return new SessionGrant(endpointUrl, channelId, clientId, topics, expiresAt);
    }

    /** The answer as UTF-8 JSON bytes. */
    public Buffer encode() {
        JsonObject json = new JsonObject()
                .put("endpointUrl", endpointUrl)
                .put("channelId", channelId);
        clientId.ifPresent(id -> json.put("clientId", id));
        topics.ifPresent(value -> json.put("topics", value.toJson()));
        expiresAt.ifPresent(instant -> json.put("expiresAt", instant.toString()));
        return json.toBuffer();
    }

    /** Like the record's own, but shows the endpoint URL without its query, which holds credentials. */
    @Override
    public String toString() {
        int query = endpointUrl.indexOf('?');
        String shown = query < 0 ? endpointUrl : endpointUrl.substring(0, query) + "?(hidden)";
        return "SessionGrant[endpointUrl=" + shown + ", channelId=" + channelId + ", clientId=" + clientId
                + ", topics=" + topics + ", expiresAt=" + expiresAt + "]";
    }
}
