package dev.tether.channel;

import dev.tether.channel.ChannelIdInvalid.Reason;
import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Locale;
import java.util.Objects;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import javax.crypto.Mac;
import org.apache.commons.codec.CodecPolicy;
import org.apache.commons.codec.binary.Base32;

/**
 * Issues and verifies channel ids under one {@link ChannelSecret}.
 *
 * <p>A channel id is 38 bytes written as {@value #ENCODED_LENGTH} characters of lower-case RFC 4648 base32 without
 * padding (alphabet a-z and 2-7):
 * <pre>
 *   version (1 byte) | random (16 bytes) | expiry, epoch seconds, big-endian (5 bytes) | MAC (16 bytes)
 * </pre>
 * where the MAC is HMAC-SHA256 under the channel secret over the first 22 bytes, truncated to 128 bits.
 *
 * <p>{@link #verify} checks, in this order, and stops at the first failure: the shape of the text (not null, not
 * empty, exactly {@value #ENCODED_LENGTH} characters, each in a-z or 2-7) before anything is decoded; that the text
 * is the one canonical spelling of its bytes; the version; the MAC, compared in constant time; and last the expiry,
 * so that someone without the secret learns nothing from it.
 *
 * <p>Instances are thread-safe and may be shared between event loops; no method blocks.
 */
public final class ChannelIds {
    /** Number of characters in every channel id. */
    public static final int ENCODED_LENGTH = 61;

    /** Longest time to live {@link #issue} accepts. */
    public static final Duration MAX_TIME_TO_LIVE = Duration.ofDays(365);

    static final String MAC_ALGORITHM = "HmacSHA256";

    private static final byte VERSION = 1;
    private static final int RANDOM_BYTES = 16;
    private static final int EXPIRY_BYTES = 5;
    private static final int MAC_BYTES = 16;
    private static final int SIGNED_BYTES = 1 + RANDOM_BYTES + EXPIRY_BYTES;
    private static final int TOTAL_BYTES = SIGNED_BYTES + MAC_BYTES;
    private static final int PREVIEW_CHARACTERS = 8;

    // commons-codec decodes both cases and skips characters outside its alphabet, so verify() checks the shape
    // itself first; STRICT makes it refuse a last character whose unused low bits are not zero, which together
    // leaves exactly one accepted spelling per id. The codec is thread-safe.
    private static final Base32 BASE32 = Base32.builder().setDecodingPolicy(CodecPolicy.STRICT).get();

    private final ChannelSecret secret;
    private final Clock clock;
    private final SecureRandom random;
    // Mac is not thread-safe and costly to initialise; idle instances wait here for the next caller, so there are
    // never more of them than concurrent callers, and none outlives this object (as a ThreadLocal's would).
    private final Queue<Mac> idleMacs = new ConcurrentLinkedQueue<>();

    /**
     * Channel ids under the given secret, expiring by the given clock, with randomness from the given source.
     */
    public ChannelIds(ChannelSecret secret, Clock clock, SecureRandom random) {
        this.secret = Objects.requireNonNull(secret, "secret");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.random = Objects.requireNonNull(random, "random");
        idleMacs.add(newMac());
    }

    /**
     * A new channel id that expires {@code timeToLive} from now, rounded up to the next whole second.
     *
     * @throws IllegalArgumentException if the time to live is not positive or exceeds {@link #MAX_TIME_TO_LIVE}
     */
    public ChannelId issue(Duration timeToLive) {
        Objects.requireNonNull(timeToLive, "timeToLive");
        if (timeToLive.isNegative() || timeToLive.isZero() || timeToLive.compareTo(MAX_TIME_TO_LIVE) > 0) {
            throw new IllegalArgumentException("channel id time to live is " + timeToLive
                    + "; allowed is more than zero and at most " + MAX_TIME_TO_LIVE);
        }

        Instant exact = clock.instant().plus(timeToLive);
        long expiryEpochSecond = exact.getNano() == 0 ? exact.getEpochSecond() : exact.getEpochSecond() + 1;
        byte[] randomBytes = new byte[RANDOM_BYTES];
        random.nextBytes(randomBytes);

        ByteBuffer raw = ByteBuffer.allocate(TOTAL_BYTES);
        raw.put(VERSION);
        raw.put(randomBytes);
        for (int shift = 8 * (EXPIRY_BYTES - 1); shift >= 0; shift -= 8) {
            raw.put((byte) (expiryEpochSecond >>> shift));
        }
        raw.put(mac(raw.array()));

        String value = BASE32.encodeAsString(raw.array()).replace("=", "").toLowerCase(Locale.ROOT);
        return new ChannelId(value, Instant.ofEpochSecond(expiryEpochSecond));
    }

    /**
     * The channel id spelled by {@code candidate}, if this secret issued it and it has not expired.
     *
     * @throws ChannelIdInvalid with reason {@link Reason#MALFORMED}, {@link Reason#FORGED} or {@link Reason#EXPIRED}
     */
    public ChannelId verify(String candidate) {
        checkShape(candidate);

        byte[] raw;
        try {
            raw = BASE32.decode(candidate);
        } catch (IllegalArgumentException notCanonical) {
            throw new ChannelIdInvalid(Reason.MALFORMED, "channel id " + preview(candidate)
                    + " is not canonical base32: its last character must leave the unused bits zero");
        }
        if (raw.length != TOTAL_BYTES) {
            throw new ChannelIdInvalid(Reason.MALFORMED, "channel id " + preview(candidate) + " decodes to "
                    + raw.length + " bytes; a channel id has " + TOTAL_BYTES);
        }
        if (raw[0] != VERSION) {
            throw new ChannelIdInvalid(Reason.MALFORMED, "channel id " + preview(candidate) + " has version "
                    + raw[0] + "; supported is version " + VERSION);
        }

        byte[] expectedMac = mac(raw);
        byte[] actualMac = Arrays.copyOfRange(raw, SIGNED_BYTES, TOTAL_BYTES);
        if (!MessageDigest.isEqual(expectedMac, actualMac)) {
            throw new ChannelIdInvalid(Reason.FORGED, "channel id " + preview(candidate)
                    + " was not issued under this channel secret (its MAC does not match)");
        }

        Instant expiresAt = Instant.ofEpochSecond(readExpiry(raw));
        if (!clock.instant().isBefore(expiresAt)) {
            throw new ChannelIdInvalid(Reason.EXPIRED, "channel id " + preview(candidate) + " expired at "
                    + expiresAt);
        }
        return new ChannelId(candidate, expiresAt);
    }

    private static void checkShape(String candidate) {
        if (candidate == null) {
            throw new ChannelIdInvalid(Reason.MALFORMED, "channel id is missing (null)");
        }
        if (candidate.isEmpty()) {
            throw new ChannelIdInvalid(Reason.MALFORMED, "channel id is empty; a channel id has "
                    + ENCODED_LENGTH + " characters of a-z and 2-7");
        }
        if (candidate.length() != ENCODED_LENGTH) {
            throw new ChannelIdInvalid(Reason.MALFORMED, "channel id has " + candidate.length()
                    + " characters; a channel id has exactly " + ENCODED_LENGTH + " characters of a-z and 2-7");
        }
        for (int index = 0; index < candidate.length(); index++) {
            char c = candidate.charAt(index);
            if (!isBase32Character(c)) {
                throw new ChannelIdInvalid(Reason.MALFORMED, "channel id has " + describe(candidate, index)
                        + " at index " + index + "; allowed are only a-z and 2-7");
            }
        }
    }

    private static boolean isBase32Character(char c) {
        return (c >= 'a' && c <= 'z') || (c >= '2' && c <= '7');
    }

    private static String describe(String text, int index) {
        int codePoint = text.codePointAt(index);
        String code = String.format(Locale.ROOT, "U+%04X", codePoint);
        boolean printableAscii = codePoint > 0x20 && codePoint < 0x7f;
        return printableAscii ? "'" + (char) codePoint + "' (" + code + ")" : code;
    }

    // Only called once the candidate has passed checkShape, so the prefix holds nothing but a-z and 2-7.
    private static String preview(String candidate) {
        return "'" + candidate.substring(0, PREVIEW_CHARACTERS) + "...'";
    }

    private static long readExpiry(byte[] raw) {
        long epochSecond = 0;
        for (int i = 1 + RANDOM_BYTES; i < SIGNED_BYTES; i++) {
            epochSecond = (epochSecond << 8) | (raw[i] & 0xff);
        }
        return epochSecond;
    }

    private byte[] mac(byte[] raw) {
        Mac mac = idleMacs.poll();
        if (mac == null) {
            mac = newMac();
        }
        try {
            mac.update(raw, 0, SIGNED_BYTES);
            return Arrays.copyOf(mac.doFinal(), MAC_BYTES);
        } finally {
            mac.reset();
            idleMacs.offer(mac);
        }
    }

    private Mac newMac() {
        try {
            Mac mac = Mac.getInstance(MAC_ALGORITHM);
            mac.init(secret.hmacKey());
            return mac;
        } catch (GeneralSecurityException e) {
            // Every Java platform must provide HmacSHA256 (java.security.Security, "Standard Names").
            throw new IllegalStateException(MAC_ALGORITHM + " is not available on this Java platform", e);
        }
    }
}
