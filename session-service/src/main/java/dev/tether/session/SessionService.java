package dev.tether.session;

import dev.tether.channel.ChannelIds;
import dev.tether.config.TetherConfig;
import dev.tether.credentials.CachedCredentials;
import dev.tether.credentials.EnvironmentCredentials;
import dev.tether.sigv4.MqttUrlPresigner;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.micrometer.backends.BackendRegistries;
import java.net.URI;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.StsClientBuilder;

/**
 * The session service's core, wired from configuration: credentials, channel ids, the STS client, the pool of
 * channels minted ahead, and the {@link SessionOpener}. Both entrypoints build one and serve it with
 * {@link SessionVerticle}.
 *
 * <p>Everything costly (the STS client, the signer, the first credentials resolution) is set up here, once, so that
 * a request only takes a channel and presigns. Thread-safe once built.
 */
public final class SessionService implements AutoCloseable {
    /** How long before an STS call gives up, all retries included. */
    public static final Duration STS_CALL_TIMEOUT = Duration.ofSeconds(5);

    private static final Logger LOG = LoggerFactory.getLogger(SessionService.class);

    private final CachedCredentials credentials;
    private final Optional<StsClient> sts;
    private final Optional<ChannelPool> pool;
    private final SessionOpener opener;

    /**
     * What the service uses from outside its configuration; tests replace the parts they run for real on loopback.
     *
     * @param credentialsProvider the service's own credentials
     * @param stsEndpoint an STS endpoint other than AWS's; without it the SDK picks the regional endpoint (or
     *        {@code AWS_ENDPOINT_URL_STS} when set)
     * @param clock the clock of channel ids, URLs and the pool
     */
    public record Dependencies(AwsCredentialsProvider credentialsProvider, Optional<URI> stsEndpoint, Clock clock) {
        /** Checks that nothing is null. */
        public Dependencies {
            Objects.requireNonNull(credentialsProvider, "credentialsProvider");
            Objects.requireNonNull(stsEndpoint, "stsEndpoint");
            Objects.requireNonNull(clock, "clock");
        }

        /** The AWS SDK's default credentials chain, AWS's STS endpoint and the system clock. */
        public static Dependencies defaults() {
            return new Dependencies(DefaultCredentialsProvider.builder().build(), Optional.empty(), Clock.systemUTC());
        }

        /**
         * What {@link #defaults()} would read from the process's environment, read from the given map instead, for
         * a service that runs in a JVM shared with others (the local Lambda stand-in's in-process mode): keys from
         * {@code AWS_ACCESS_KEY_ID}, {@code AWS_SECRET_ACCESS_KEY} and {@code AWS_SESSION_TOKEN} when set (else the
         * default chain), and the STS endpoint from {@code AWS_ENDPOINT_URL_STS}.
         */
        public static Dependencies fromEnvironment(Map<String, String> env) {
            String sts = env.get("AWS_ENDPOINT_URL_STS");
            return new Dependencies(EnvironmentCredentials.provider(env), sts == null || sts.isBlank()
                    ? Optional.empty() : Optional.of(URI.create(sts)), Clock.systemUTC());
        }
    }

    private SessionService(CachedCredentials credentials, Optional<StsClient> sts, Optional<ChannelPool> pool,
            SessionOpener opener) {
        this.credentials = credentials;
        this.sts = sts;
        this.pool = pool;
        this.opener = opener;
    }

    /**
     * Builds the service. Without a client role it logs, once, that clients get the service's own permissions.
     * With one and a positive pool size, the pool starts filling at once, in the background.
     */
    public static SessionService create(Vertx vertx, TetherConfig config, SessionSettings settings,
            Dependencies dependencies) {
        Objects.requireNonNull(vertx, "vertx");
        Objects.requireNonNull(config, "config");
        Objects.requireNonNull(settings, "settings");
        Objects.requireNonNull(dependencies, "dependencies");
        Clock clock = dependencies.clock();
        CachedCredentials credentials = new CachedCredentials(vertx, dependencies.credentialsProvider(), clock,
                CachedCredentials.Timing.defaults());
        ChannelIds channelIds = new ChannelIds(config.channelSecret(), clock, new SecureRandom());

        Optional<StsClient> sts = Optional.empty();
        Optional<ChannelPool> pool = Optional.empty();
        ChannelMinter minter;
        if (config.clientRoleArn().isPresent()) {
            ClientRole role = ClientRole.of(config.clientRoleArn().get());
            StsClient client = stsClient(config, dependencies);
            sts = Optional.of(client);
            minter = new ScopedChannelMinter(vertx, client, role,
                    new SessionPolicy(config.topics(), role, config.region().id()), channelIds,
                    config.channelTimeToLive());
            if (settings.poolSize() > 0) {
                // A pooled channel keeps at least half its time to live for the client, and its credentials at
                // least a URL's lifetime, so a URL presigned from it is good for as long as it says.
                Duration minChannelLife = config.channelTimeToLive().dividedBy(2);
                ChannelPool channelPool = new ChannelPool(vertx, minter, settings.poolSize(), clock, minChannelLife,
                        config.presignedUrlExpiry(), minChannelLife.dividedBy(2));
                pool = Optional.of(channelPool);
                Gauge.builder("tether.session.pool.ready", channelPool, ChannelPool::readyCount)
                        .description("sessions minted ahead and waiting to be served")
                        .register(meterRegistry());
                minter = channelPool;
            }
            LOG.info("sessions get credentials scoped to their channel from role {}, {} minted ahead", role.arn(),
                    settings.poolSize());
        } else {
            LOG.warn("TETHER_CLIENT_ROLE_ARN is not set: presigned URLs are signed with the service's own "
                    + "credentials, so every client gets all of the service's AWS IoT permissions; set it to a role "
                    + "the service may assume, so that each session can use only its own channel");
            minter = new ServiceChannelMinter(credentials, channelIds, config.channelTimeToLive());
        }

        SessionOpener opener = new SessionOpener(minter, presigner(config, clock), config.topics(),
                config.presignedUrlExpiry(), clock);
        return new SessionService(credentials, sts, pool, opener);
    }

    /** The opener of sessions. */
    public SessionOpener opener() {
        return opener;
    }

    /** The pool of channels minted ahead, when scoped credentials and a positive pool size are configured. */
    public Optional<ChannelPool> pool() {
        return pool;
    }

    /**
     * Whether the service can open sessions: its own credentials resolve. Never blocks.
     *
     * @return a future failed with {@link dev.tether.credentials.CredentialsUnavailable} when they do not
     */
    public Future<Void> checkReady() {
        return credentials.current()
                .mapEmpty();
    }

    /** Stops the pool and closes the STS client and credentials. */
    @Override
    public void close() {
        pool.ifPresent(ChannelPool::close);
        sts.ifPresent(StsClient::close);
        credentials.close();
    }

    /** The registry {@code GET /metrics} serves, or a private one when Vert.x runs without metrics. */
    private static MeterRegistry meterRegistry() {
        MeterRegistry registry = BackendRegistries.getDefaultNow();
        return registry != null ? registry : new SimpleMeterRegistry();
    }

    private static StsClient stsClient(TetherConfig config, Dependencies dependencies) {
        // The URL connection client loads fastest on a Lambda cold start and is all STS needs; calls run on
        // Vert.x workers, so an asynchronous client would gain nothing.
        StsClientBuilder builder = StsClient.builder()
                .region(config.region())
                .credentialsProvider(dependencies.credentialsProvider())
                .httpClientBuilder(UrlConnectionHttpClient.builder()
                        .connectionTimeout(Duration.ofSeconds(2))
                        .socketTimeout(STS_CALL_TIMEOUT))
                .overrideConfiguration(override -> override.apiCallTimeout(STS_CALL_TIMEOUT));
        dependencies.stsEndpoint().ifPresent(builder::endpointOverride);
        return builder.build();
    }

    private static MqttUrlPresigner presigner(TetherConfig config, Clock clock) {
        MqttUrlPresigner.Builder builder = MqttUrlPresigner.builder()
                .region(config.region().id())
                .expires(config.presignedUrlExpiry())
                .clock(clock);
        if (config.endpointOverride().isPresent()) {
            URI endpoint = config.endpointOverride().get();
            int defaultPort = "wss".equals(endpoint.getScheme()) ? 443 : 80;
            // A browser leaves a default port out of the Host header it sends, so the signed host must too.
            String host = endpoint.getPort() == defaultPort ? endpoint.getHost()
                    : endpoint.getHost() + ":" + endpoint.getPort();
            builder.scheme(endpoint.getScheme())
                    .host(host)
                    .path(endpoint.getPath());
        } else {
            builder.host(config.iotHost().orElseThrow());
        }
        return builder.build();
    }
}
