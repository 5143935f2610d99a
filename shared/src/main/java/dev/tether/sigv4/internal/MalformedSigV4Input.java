package dev.tether.sigv4.internal;

/**
 * A request part that cannot be canonicalized: a bad percent-escape, invalid UTF-8, a signed header that is
 * missing. The verifier turns it into a refusal; it never reaches a caller of the public API.
 */
public final class MalformedSigV4Input extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /**
     * @param message what was wrong, without any secret
     */
    public MalformedSigV4Input(String message) {
        // No stack trace: this is a refusal of hostile input, not a bug, and may be frequent.
        super(message, null, false, false);
    }
}
