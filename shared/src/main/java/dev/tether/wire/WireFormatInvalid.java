package dev.tether.wire;

/** A message that is not valid Tether wire protocol; the message names the field and what is allowed. */
public final class WireFormatInvalid extends IllegalArgumentException {
    /** @param message what is wrong and what is allowed */
    public WireFormatInvalid(String message) {
        super(message);
    }

    /**
     * @param message what is wrong and what is allowed
     * @param cause   the parser's failure
     */
    public WireFormatInvalid(String message, Throwable cause) {
        super(message, cause);
    }
}
