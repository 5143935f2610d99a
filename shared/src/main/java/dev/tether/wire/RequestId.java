package dev.tether.wire;

import java.math.BigDecimal;
import java.util.Objects;

/**
 * A request's {@code id}, echoed as the answer's {@code inReplyTo}: a JSON string or number.
 *
 * <p>Numbers are kept as {@link BigDecimal} without trailing zeros, so that {@code 7} and {@code 7.0} are the same id
 * whichever way a JSON parser read them.
 *
 * @param value a {@link String} or a {@link BigDecimal}
 */
public record RequestId(Object value) {
    /** Normalises and checks the value; refuses anything but a string or a number. */
    public RequestId {
        Objects.requireNonNull(value, "value");
        if (value instanceof Number number) {
            value = new BigDecimal(number.toString()).stripTrailingZeros();
        } else if (!(value instanceof String)) {
            throw new WireFormatInvalid("an id must be a JSON string or number, got " + Json.describe(value));
        }
    }

    /** A string id. */
    public static RequestId of(String id) {
        return new RequestId(id);
    }

    /** A number id. */
    public static RequestId of(long id) {
        return new RequestId(id);
    }

    /** The id as JSON writes it: a string, or a number (a long when it is whole and fits). */
    public Object toJson() {
        if (value instanceof BigDecimal number) {
            try {
                return number.longValueExact();
            } catch (ArithmeticException notWhole) {
                return number.doubleValue();
            }
        }
        return value;
    }
}
