package dev.tether.wire;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.util.Objects;
import java.util.Optional;

/**
 * A client's request on {@code <prefix>/<channelId>/request}: {@code {"id": <string or number>, ...}}. The id is
 * optional; a request without one is still answered, without {@code inReplyTo}.
 *
 * @param id     the id the answer will carry as {@code inReplyTo}, if any
 * @param fields the request's other fields, for the responder's handler; never contains {@code id}
 */
public record Request(Optional<RequestId> id, JsonObject fields) {
    static final String ID = "id";

    /** Copies the fields and refuses an {@code id} among them: it belongs in {@link #id()}. */
    public Request {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(fields, "fields");
        if (fields.containsKey(ID)) {
            throw new IllegalArgumentException("fields must not contain \"id\"; pass it as the id");
        }
        fields = fields.copy();
    }

    /** Splits a JSON object into its id and its other fields. */
    public static Request fromJson(JsonObject json) {
        JsonObject fields = json.copy();
        Object id = fields.remove(ID);
        if (id != null && !(id instanceof String) && !(id instanceof Number)) {
            throw new WireFormatInvalid("a request's \"id\" must be a string or a number, got " + Json.describe(id));
        }
        return new Request(Optional.ofNullable(id).map(RequestId::new), fields);
    }

    /** Parses and checks a request's bytes. */
    public static Request decode(Buffer bytes) {
        return fromJson(Json.parseObject(bytes, "a request"));
    }

    /** The request as a JSON object. */
    public JsonObject toJson() {
        JsonObject json = fields.copy();
        id.ifPresent(value -> json.put(ID, value.toJson()));
        return json;
    }

    /** The request as UTF-8 JSON bytes. */
    public Buffer encode() {
        return toJson().toBuffer();
    }
}
