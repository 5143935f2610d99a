package dev.tether.session;

import dev.tether.channel.ChannelId;
import dev.tether.channel.ChannelIds;
import dev.tether.credentials.CachedCredentials;
import io.vertx.core.Future;
import java.time.Duration;
import java.util.Objects;

/**
 * Mints channels whose URLs are signed with the service's own credentials, for deployments without a client role.
 * Every client then gets every IoT permission the service has; {@link SessionService} warns about this once at start.
 *
 * <p>Thread-safe; never blocks, as {@link CachedCredentials} resolves credentials on a worker.
 */
public final class ServiceChannelMinter implements ChannelMinter {
    private final CachedCredentials credentials;
    private final ChannelIds channelIds;
    private final Duration channelTimeToLive;

    /** A minter that issues channel ids living {@code channelTimeToLive}, with the given credentials. */
    public ServiceChannelMinter(CachedCredentials credentials, ChannelIds channelIds, Duration channelTimeToLive) {
        this.credentials = Objects.requireNonNull(credentials, "credentials");
        this.channelIds = Objects.requireNonNull(channelIds, "channelIds");
        this.channelTimeToLive = Objects.requireNonNull(channelTimeToLive, "channelTimeToLive");
    }

    @Override
    public Future<MintedChannel> mint() {
        return credentials.current()
                .map(identity -> {
                    ChannelId channel = channelIds.issue(channelTimeToLive);
                    return new MintedChannel(channel, MintedChannel.clientIdOf(channel), identity, false);
                });
    }
}
