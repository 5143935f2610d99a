package dev.tether.channel;

import java.util.Objects;

/**
 * Thrown when a candidate channel id is refused. {@link #reason()} says why; the message says what was wrong without
 * echoing more than a short prefix of the candidate.
 */
public final class ChannelIdInvalid extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** Why a channel id was refused, in the order they are checked. */
    public enum Reason {
        /** Not a channel id at all: missing, wrong length, a character outside a-z and 2-7, or not canonical. */
        MALFORMED,
        /** Well formed, but its MAC does not match: not issued under this channel secret, or altered. */
        FORGED,
        /** Issued under this channel secret, but its expiry has passed. */
        EXPIRED
    }

    private final Reason reason;

    ChannelIdInvalid(Reason reason, String message) {
        super(message);
        this.reason = Objects.requireNonNull(reason, "reason");
    }

    /** Why the channel id was refused. */
    public Reason reason() {
        return reason;
    }
}
