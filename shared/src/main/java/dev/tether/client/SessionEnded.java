package dev.tether.client;

import dev.tether.wire.EndReason;
import java.util.Optional;

/**
 * The session ended, by the responder's {@code end} message or by {@link TetherSession#close()}, before a request
 * was answered; open a new session to go on.
 */
public final class SessionEnded extends RuntimeException {
    private final Optional<EndReason> reason;

    /** @param reason the responder's reason, or empty when the client closed the session */
    public SessionEnded(Optional<EndReason> reason) {
        super(reason
                .map(value -> "The responder ended the session: " + value.wireName())
                .orElse("The session was closed"));
        this.reason = reason;
    }

    /** The responder's reason, or empty when the client closed the session. */
    public Optional<EndReason> reason() {
        return reason;
    }
}
