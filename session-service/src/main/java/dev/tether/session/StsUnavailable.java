package dev.tether.session;

/**
 * The failure of a session when STS could not issue scoped credentials for it: STS was unreachable, answered with
 * an error, or refused to let the service assume the client role. The message says which, for the client; it never
 * carries a credential. The HTTP verticle answers 503 with it.
 */
public final class StsUnavailable extends RuntimeException {
    private static final long serialVersionUID = 1L;

    StsUnavailable(String message, Throwable cause) {
        super(message, cause);
    }
}
