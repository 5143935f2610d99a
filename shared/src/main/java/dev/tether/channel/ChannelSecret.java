package dev.tether.channel;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;
import javax.crypto.spec.SecretKeySpec;

/**
 * The secret the session service and the responder share, under which channel ids are signed.
 *
 * <p>It refuses fewer than {@value #MIN_BYTES} bytes, so that a weak secret fails at start instead of making channel
 * ids guessable. Its {@link #toString()} never reveals it, and it has no accessor for its bytes outside this
 * package.
 */
public final class ChannelSecret {
    /** Fewest bytes a channel secret may have: the output size of HMAC-SHA256. */
    public static final int MIN_BYTES = 32;

    private final SecretKeySpec hmacKey;
    private final int lengthBytes;

    private ChannelSecret(byte[] bytes) {
        if (bytes.length < MIN_BYTES) {
            throw new ChannelSecretTooShort(bytes.length);
        }
        this.hmacKey = new SecretKeySpec(bytes, ChannelIds.MAC_ALGORITHM);
        this.lengthBytes = bytes.length;
    }

    /**
     * A channel secret of the given bytes; the array is copied, so the caller may clear its own.
     *
     * @throws ChannelSecretTooShort if there are fewer than {@value #MIN_BYTES} bytes
     */
    public static ChannelSecret fromBytes(byte[] bytes) {
        Objects.requireNonNull(bytes, "channel secret bytes must not be null");
        byte[] copy = Arrays.copyOf(bytes, bytes.length);
        try {
            return new ChannelSecret(copy);
        } finally {
            Arrays.fill(copy, (byte) 0);
        }
    }

    /**
     * A channel secret of the UTF-8 bytes of the given text, as read from {@code TETHER_CHANNEL_SECRET}.
     *
     * @throws ChannelSecretTooShort if the text has fewer than {@value #MIN_BYTES} UTF-8 bytes
     */
    public static ChannelSecret fromUtf8(String secret) {
        Objects.requireNonNull(secret, "channel secret must not be null");
        return fromBytes(secret.getBytes(StandardCharsets.UTF_8));
    }

    /** Length of the secret in bytes. */
    public int lengthBytes() {
        return lengthBytes;
    }

    SecretKeySpec hmacKey() {
        return hmacKey;
    }

    @Override
    public String toString() {
        return "ChannelSecret[redacted]";
    }
}
