package dev.tether.credentials;

/**
 * The failure of a {@link CachedCredentials#current()} future when no usable AWS credentials could be resolved. The
 * cause is the provider's own exception; neither the message nor the cause carries a credential.
 */
public final class CredentialsUnavailable extends RuntimeException {
    private static final long serialVersionUID = 1L;

    CredentialsUnavailable(String message, Throwable cause) {
        super(message, cause);
    }
}
