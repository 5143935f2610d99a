package dev.tether.wire;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.util.Optional;

/**
 * What a responder publishes on {@code <prefix>/<channelId>/response}: {@link Ready}, an {@link Answer}, an
 * {@link ErrorReply} or, last, {@link End}.
 */
public sealed interface ResponseMessage permits ResponseMessage.Ready, ResponseMessage.Answer,
        ResponseMessage.ErrorReply, ResponseMessage.End {
    /** The field that tells the kinds apart; an answer has none. */
    String TYPE = "type";
    /** The field carrying the id of the request answered. */
    String IN_REPLY_TO = "inReplyTo";

    /** The message as a JSON object. */
    JsonObject toJson();

    /** The message as UTF-8 JSON bytes. */
    default Buffer encode() {
        return toJson().toBuffer();
    }

    /**
     * Parses and checks a response message.
     *
     * @throws WireFormatInvalid if it is not JSON, has an unknown {@code type}, or misses a field its type needs
     */
    static ResponseMessage decode(Buffer bytes) {
        return fromJson(Json.parseObject(bytes, "a response message"));
    }

    /** Reads a response message from a JSON object; see {@link #decode(Buffer)}. */
    static ResponseMessage fromJson(JsonObject json) {
        Object type = json.getValue(TYPE);
        if (type == null) {
            return Answer.fromJson(json);
        }
        if (!(type instanceof String)) {
            throw new WireFormatInvalid("\"type\" must be a string, got " + Json.describe(type));
        }
        return switch ((String) type) {
            case Ready.TYPE_NAME -> new Ready();
            case ErrorReply.TYPE_NAME -> ErrorReply.fromJson(json);
            case End.TYPE_NAME -> new End(EndReason.fromWireName(Json.requireString(json, "reason", "an end message")));
            default -> throw new WireFormatInvalid("\"type\" must be ready, error or end (or absent for an answer); "
                    + "got \"" + type + "\"");
        };
    }

    private static Optional<RequestId> readInReplyTo(JsonObject json) {
        Object id = json.getValue(IN_REPLY_TO);
        if (id == null) {
            return Optional.empty();
        }
        if (!(id instanceof String) && !(id instanceof Number)) {
            throw new WireFormatInvalid("\"inReplyTo\" must be a string or a number, got " + Json.describe(id));
        }
        return Optional.of(new RequestId(id));
    }

    /** {@code {"type": "ready"}}: the responder has subscribed and takes requests. */
    record Ready() implements ResponseMessage {
        static final String TYPE_NAME = "ready";

        @Override
        public JsonObject toJson() {
            return new JsonObject().put(TYPE, TYPE_NAME);
        }
    }

    /**
     * {@code {"inReplyTo": id, ...}}: the answer to a request; without {@code inReplyTo} when the request had no id.
     *
     * @param inReplyTo the request's id, if it had one
     * @param fields    the answer's other fields
     */
    record Answer(Optional<RequestId> inReplyTo, JsonObject fields) implements ResponseMessage {
        /** Copies the fields; refuses {@code type} and {@code inReplyTo} among them. */
        public Answer {
            if (fields.containsKey(TYPE) || fields.containsKey(IN_REPLY_TO)) {
                throw new IllegalArgumentException("an answer's fields must not contain \"type\" or \"inReplyTo\"");
            }
            fields = fields.copy();
        }

        static Answer fromJson(JsonObject json) {
            Optional<RequestId> id = ResponseMessage.readInReplyTo(json);
            JsonObject fields = json.copy();
            fields.remove(IN_REPLY_TO);
            return new Answer(id, fields);
        }

        @Override
        public JsonObject toJson() {
            JsonObject json = fields.copy();
            inReplyTo.ifPresent(id -> json.put(IN_REPLY_TO, id.toJson()));
            return json;
        }
    }

    /**
     * {@code {"type": "error", "inReplyTo": id, "error": "..."}}: a request the responder could not handle.
     *
     * @param inReplyTo the request's id, if it had one
     * @param error     what went wrong, for people
     */
    record ErrorReply(Optional<RequestId> inReplyTo, String error) implements ResponseMessage {
        static final String TYPE_NAME = "error";

        static ErrorReply fromJson(JsonObject json) {
            return new ErrorReply(ResponseMessage.readInReplyTo(json),
                    Json.requireString(json, "error", "an error message"));
        }

        @Override
        public JsonObject toJson() {
            JsonObject json = new JsonObject().put(TYPE, TYPE_NAME);
            inReplyTo.ifPresent(id -> json.put(IN_REPLY_TO, id.toJson()));
            return json.put("error", error);
        }
    }

    /**
     * {@code {"type": "end", "reason": ...}}: the last message of a session.
     *
     * @param reason why the session ended
     */
    record End(EndReason reason) implements ResponseMessage {
        static final String TYPE_NAME = "end";

        @Override
        public JsonObject toJson() {
            return new JsonObject().put(TYPE, TYPE_NAME).put("reason", reason.wireName());
        }
    }
}
