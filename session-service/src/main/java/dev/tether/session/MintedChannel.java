package dev.tether.session;

import dev.tether.channel.ChannelId;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;

/**
 * A channel ready to be handed to one client: its id, the client id that may connect for it, and the credentials
 * its URL is signed with. Its {@code toString()} shows no credential.
 *
 * @param channel the channel id, with its proof and expiry
 * @param clientId the MQTT client id the credentials allow
 * @param credentials scoped temporary credentials, or the service's own when no client role is configured
 * @param scoped whether the credentials are scoped to this channel
 */
public record MintedChannel(ChannelId channel, String clientId, AwsCredentialsIdentity credentials, boolean scoped) {
    /** Prefix of every client id the session service hands out. */
    public static final String CLIENT_ID_PREFIX = "tether-client-";

    /** Checks that nothing is null. */
    public MintedChannel {
        Objects.requireNonNull(channel, "channel");
        Objects.requireNonNull(clientId, "clientId");
        Objects.requireNonNull(credentials, "credentials");
    }

    /** The client id of a channel: {@value #CLIENT_ID_PREFIX} and the channel id, 75 bytes, within IoT's 128. */
    public static String clientIdOf(ChannelId channel) {
        return CLIENT_ID_PREFIX + channel.value();
    }

    /** When the credentials expire, if they say so (static keys do not). */
    public Optional<Instant> credentialsExpireAt() {
        return credentials.expirationTime();
    }

    @Override
    public String toString() {
        return "MintedChannel[channel=" + channel + ", clientId=" + clientId + ", scoped=" + scoped + "]";
    }
}
