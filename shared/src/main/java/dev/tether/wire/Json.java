package dev.tether.wire;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;

/** Parsing helpers shared by the records of this package. */
final class Json {
    private Json() {
    }

    static JsonObject parseObject(Buffer bytes, String what) {
        Object parsed;
        try {
            parsed = io.vertx.core.json.Json.decodeValue(bytes);
        } catch (DecodeException e) {
            throw new WireFormatInvalid(what + " is not valid JSON: " + e.getMessage(), e);
        }
        if (parsed instanceof JsonObject object) {
            return object;
        }
        throw new WireFormatInvalid(what + " must be a JSON object, got " + describe(parsed));
    }

    static String requireString(JsonObject object, String field, String what) {
        Object value = object.getValue(field);
        if (value instanceof String text) {
            return text;
        }
        throw new WireFormatInvalid(what + " needs \"" + field + "\" as a string, got " + describe(value));
    }

    static String describe(Object value) {
        if (value == null) {
            return "nothing";
        }
        return value.getClass().getSimpleName() + " " + value;
    }
}
