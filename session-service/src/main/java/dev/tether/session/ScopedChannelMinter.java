package dev.tether.session;

import dev.tether.channel.ChannelId;
import dev.tether.channel.ChannelIds;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.Objects;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.model.AssumeRoleRequest;
import software.amazon.awssdk.services.sts.model.Credentials;

/**
 * Mints channels whose credentials are scoped to the channel: each {@link #mint()} assumes the client role through
 * STS {@code AssumeRole} with the channel's {@link SessionPolicy}.
 *
 * <p>The SDK's {@link StsClient} blocks on I/O (and on resolving the service's own credentials), so every call runs
 * on a Vert.x worker thread, unordered, so that several can be in flight. Thread-safe.
 */
public final class ScopedChannelMinter implements ChannelMinter {
    /**
     * Lifetime asked of STS for client credentials: the least {@code DurationSeconds} AssumeRole allows (AWS STS API
     * reference, AssumeRole). AWS IoT Core checks a WebSocket URL's credentials when the client connects, so a
     * connection outlives them; they only have to last until the client connects.
     */
    public static final Duration CREDENTIALS_DURATION = Duration.ofMinutes(15);

    private static final String ROLE_SESSION_NAME_PREFIX = "t-";

    private final Vertx vertx;
    private final StsClient sts;
    private final ClientRole role;
    private final SessionPolicy policy;
    private final ChannelIds channelIds;
    private final Duration channelTimeToLive;

    /**
     * A minter that issues channel ids living {@code channelTimeToLive} and assumes {@code role} through
     * {@code sts}; the caller owns and closes the STS client.
     */
    public ScopedChannelMinter(Vertx vertx, StsClient sts, ClientRole role, SessionPolicy policy,
            ChannelIds channelIds, Duration channelTimeToLive) {
        this.vertx = Objects.requireNonNull(vertx, "vertx");
        this.sts = Objects.requireNonNull(sts, "sts");
        this.role = Objects.requireNonNull(role, "role");
        this.policy = Objects.requireNonNull(policy, "policy");
        this.channelIds = Objects.requireNonNull(channelIds, "channelIds");
        this.channelTimeToLive = Objects.requireNonNull(channelTimeToLive, "channelTimeToLive");
    }

    @Override
    public Future<MintedChannel> mint() {
        ChannelId channel = channelIds.issue(channelTimeToLive);
        String clientId = MintedChannel.clientIdOf(channel);
        AssumeRoleRequest request = AssumeRoleRequest.builder()
                .roleArn(role.arn())
                // 63 characters of the 64 allowed; CloudTrail then shows which channel each credential served.
                .roleSessionName(ROLE_SESSION_NAME_PREFIX + channel.value())
                .policy(policy.forChannel(channel, clientId))
                .durationSeconds((int) CREDENTIALS_DURATION.toSeconds())
                .build();

        return vertx.executeBlocking(() -> assumeRole(request), false)
                .map(credentials -> new MintedChannel(channel, clientId, credentials, true));
    }

    private AwsSessionCredentials assumeRole(AssumeRoleRequest request) {
        Credentials issued;
        try {
            issued = sts.assumeRole(request).credentials();
        } catch (AwsServiceException refused) {
            // The error code and status tell the client enough; STS's own message names the service's identity.
            throw new StsUnavailable("STS refused scoped credentials: " + refused.awsErrorDetails().errorCode()
                    + " (HTTP " + refused.statusCode() + ")", refused);
        } catch (SdkException unreachable) {
            throw new StsUnavailable("STS could not be reached for scoped credentials", unreachable);
        }
        if (issued == null) {
            throw new StsUnavailable("STS answered AssumeRole without credentials", null);
        }
        return AwsSessionCredentials.builder()
                .accessKeyId(issued.accessKeyId())
                .secretAccessKey(issued.secretAccessKey())
                .sessionToken(issued.sessionToken())
                .expirationTime(issued.expiration())
                .build();
    }
}
