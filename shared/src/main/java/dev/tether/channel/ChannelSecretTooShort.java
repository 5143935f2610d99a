package dev.tether.channel;

/**
 * Thrown when a channel secret has fewer bytes than {@link ChannelSecret#MIN_BYTES}. The message gives the length
 * found and the minimum, never the secret.
 */
public final class ChannelSecretTooShort extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    ChannelSecretTooShort(int lengthBytes) {
        super("channel secret has " + lengthBytes + " bytes; at least " + ChannelSecret.MIN_BYTES
                + " bytes are required (for example 32 random bytes, base64-encoded)");
    }
}
