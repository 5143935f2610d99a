package dev.tether.channel;

import java.time.Instant;
import java.util.Objects;

/**
 * A channel id that {@link ChannelIds} issued or verified: its text (61 characters of lower-case RFC 4648 base32)
 * and the instant it expires.
 *
 * <p>This is a final class rather than a record on purpose: a record's canonical constructor is public, and a
 * channel id must only come into being through {@link ChannelIds#issue} or {@link ChannelIds#verify}, so that
 * holding one proves it was checked before it is put into a topic. Two ids are equal when their text is.
 */
public final class ChannelId {
    private final String value;
    private final Instant expiresAt;

    ChannelId(String value, Instant expiresAt) {
        this.value = Objects.requireNonNull(value, "value");
        this.expiresAt = Objects.requireNonNull(expiresAt, "expiresAt");
    }

    /** The id as clients and topics carry it. */
    public String value() {
        return value;
    }

    /** When the id stops being accepted, to the second. */
    public Instant expiresAt() {
        return expiresAt;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof ChannelId that && value.equals(that.value);
    }

    @Override
    public int hashCode() {
        return value.hashCode();
    }

    /** The id itself: it is not a secret, it appears in topics. */
    @Override
    public String toString() {
        return value;
    }
}
