package dev.tether.local.config;

/** A configuration file of the local stand-ins that cannot be used; the message names the entry and the fix. */
public final class LocalConfigInvalid extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** @param message what was wrong and what is allowed */
    public LocalConfigInvalid(String message) {
        super(message);
    }

    /** @param message what was wrong and what is allowed
     *  @param cause the parser's error */
    public LocalConfigInvalid(String message, Throwable cause) {
        super(message, cause);
    }
}
