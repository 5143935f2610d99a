package dev.tether.session;

import dev.tether.channel.ChannelId;
import dev.tether.sigv4.MqttUrlPresigner;
import dev.tether.topic.Topics;
import io.vertx.core.Future;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * Opens sessions: takes a minted channel and presigns its URL at that moment, so that the URL's {@code X-Amz-Date}
 * is fresh even when the channel was minted ahead.
 *
 * <p>Thread-safe; {@link #open()} never blocks and may be called from any Vert.x thread.
 */
public final class SessionOpener {
    private final ChannelMinter minter;
    private final MqttUrlPresigner presigner;
    private final Topics topics;
    private final Duration urlExpiry;
    private final Clock clock;

    /** An opener of channels from {@code minter}, with URLs presigned to expire after {@code urlExpiry}. */
    public SessionOpener(ChannelMinter minter, MqttUrlPresigner presigner, Topics topics, Duration urlExpiry,
            Clock clock) {
        this.minter = Objects.requireNonNull(minter, "minter");
        this.presigner = Objects.requireNonNull(presigner, "presigner");
        this.topics = Objects.requireNonNull(topics, "topics");
        this.urlExpiry = Objects.requireNonNull(urlExpiry, "urlExpiry");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * A new session.
     *
     * @return a future failed with {@link StsUnavailable} or {@link dev.tether.credentials.CredentialsUnavailable}
     *         when no credentials could be had; no part of a session is handed out then
     */
    public Future<Session> open() {
        return minter.mint()
                .map(this::presign);
    }

    private Session presign(MintedChannel minted) {
        Instant now = clock.instant();
        String url = presigner.presign(minted.credentials());
        ChannelId channel = minted.channel();
        Instant expiresAt = earliest(now.plus(urlExpiry), channel.expiresAt());
        if (minted.credentialsExpireAt().isPresent()) {
            expiresAt = earliest(expiresAt, minted.credentialsExpireAt().get());
        }
        return new Session(url, channel.value(), minted.clientId(), topics.session(), topics.request(channel),
                topics.response(channel), expiresAt);
    }

    private static Instant earliest(Instant a, Instant b) {
        return a.isBefore(b) ? a : b;
    }
}
