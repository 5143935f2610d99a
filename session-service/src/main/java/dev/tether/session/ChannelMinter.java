package dev.tether.session;

import io.vertx.core.Future;

/**
 * Mints channels: a new channel id and the credentials its client will sign its URL with.
 *
 * <p>Implementations never block the calling thread; {@link #mint()} may be called from any Vert.x thread.
 */
public interface ChannelMinter {
    /**
     * A new channel.
     *
     * @return a future failed with {@link StsUnavailable} or {@link dev.tether.credentials.CredentialsUnavailable}
     *         when no credentials could be had; then no channel is handed out
     */
    Future<MintedChannel> mint();
}
