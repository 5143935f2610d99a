package dev.tether.responder;

import dev.tether.channel.ChannelIds;
import dev.tether.config.TetherConfig;
import dev.tether.credentials.CachedCredentials;
import dev.tether.credentials.EnvironmentCredentials;
import dev.tether.mqtt.MqttClientOptions;
import dev.tether.mqtt.MqttWebSocketClient;
import dev.tether.sigv4.MqttUrlPresigner;
import dev.tether.sigv4.RequestSigner;
import dev.tether.wire.Request;
import dev.tether.wire.ResponseMessage;
import dev.tether.wire.SessionMessage;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.ext.web.client.WebClient;
import java.net.URI;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;

/**
 * What both entrypoints build from the configuration: the cached credentials, the presigner for the broker, and the
 * {@link ResponderService}. Each connection attempt of a responder presigns a fresh URL with the current credentials.
 *
 * <p>{@link #forgetCredentials()} drops the cached credentials, so that the next connection resolves them again:
 * after a SnapStart restore, credentials cached before the snapshot may be stale (Lambda developer guide, "Handling
 * uniqueness with Lambda SnapStart").
 *
 * <p>Threading: methods may be called from any thread and never block.
 */
public final class ResponderRuntime implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ResponderRuntime.class);

    private final Vertx vertx;
    private final ResponderConfig config;
    private final Function<Vertx, CachedCredentials> credentialsFactory;
    private final MqttUrlPresigner presigner;
    private final ResponderService service;
    private final ChannelIds channelIds;
    private final SingleAnswer singleAnswer;
    private volatile CachedCredentials credentials;
    private WebClient webClient;

    /**
     * A runtime on this Vert.x.
     *
     * @param settings           how responders behave: {@link ResponderConfig#settings()}, adjusted to the runtime
     * @param credentialsFactory makes a credentials cache; called now and again after each
     *                           {@link #forgetCredentials()}
     */
    public ResponderRuntime(Vertx vertx, ResponderConfig config, ResponderSettings settings,
            Function<Vertx, CachedCredentials> credentialsFactory, Clock clock) {
        this.vertx = Objects.requireNonNull(vertx, "vertx");
        this.config = Objects.requireNonNull(config, "config");
        this.credentialsFactory = Objects.requireNonNull(credentialsFactory, "credentialsFactory");
        this.credentials = credentialsFactory.apply(vertx);
        this.presigner = presigner(config.tether(), clock);
        this.channelIds = new ChannelIds(config.tether().channelSecret(), clock, new SecureRandom());
        this.service = new ResponderService(vertx, settings, channelIds, this::freshUrl, config.handlers(),
                clock);
        this.singleAnswer = config.dataEndpoint()
                .map(endpoint -> new DataPlanePublisher(this::webClient, endpoint,
                        RequestSigner.forIotData(config.tether().region().id(), clock), () -> credentials.current()))
                .map(publisher -> new SingleAnswer(vertx, channelIds, config.tether().topics(), config.handlers(),
                        publisher))
                .orElse(null);
    }

    /** A runtime with the AWS SDK's default credentials chain and the system clock. */
    public static ResponderRuntime withDefaultCredentials(Vertx vertx, ResponderConfig config,
            ResponderSettings settings) {
        return new ResponderRuntime(vertx, config, settings, CachedCredentials::new, Clock.systemUTC());
    }

    /**
     * A runtime with the keys of the given environment variables ({@code AWS_ACCESS_KEY_ID} and so on, the default
     * chain without them), for a responder sharing its JVM with others, as in the local Lambda stand-in's
     * in-process mode.
     */
    public static ResponderRuntime withEnvironmentCredentials(Vertx vertx, ResponderConfig config,
            ResponderSettings settings, Map<String, String> env) {
        Clock clock = Clock.systemUTC();
        return new ResponderRuntime(vertx, config, settings, owner -> new CachedCredentials(owner,
                EnvironmentCredentials.provider(env), clock, CachedCredentials.Timing.defaults()), clock);
    }

    /** The Vert.x everything runs on. */
    public Vertx vertx() {
        return vertx;
    }

    /** The configuration read at start. */
    public ResponderConfig config() {
        return config;
    }

    /** The service that starts one responder per session message. */
    public ResponderService service() {
        return service;
    }

    /**
     * Does now the work that the first session would otherwise pay for at a cold start: loads and runs the SigV4
     * presigner, channel id checks, the wire messages and an MQTT client, and resolves the credentials (on a
     * worker). Lambda runs it in the init phase, which SnapStart captures in its snapshot (the checkpoint hook drops
     * the credentials again).
     *
     * @return completes when the credentials are resolved; fails if they cannot be, which the first connection
     *         will then report
     */
    public Future<Void> prime() {
        presigner.presign(AwsCredentialsIdentity.create("AKIAPRIMING000000000", "priming-only"));
        channelIds.verify(channelIds.issue(Duration.ofMinutes(1)).value());
        Request.decode(new ResponseMessage.Ready().encode());
        SessionMessage.decode(new SessionMessage(channelIds.issue(Duration.ofMinutes(1)).value()).encode());
        MqttWebSocketClient.create(vertx, MqttClientOptions.of("tether-priming"));
        return credentials.current().mapEmpty();
    }

    /**
     * The single-answer mode, publishing through the IoT data plane.
     *
     * @throws IllegalStateException when no data-plane endpoint is known: set TETHER_DATA_ENDPOINT or AWS_IOT_HOST
     */
    public SingleAnswer singleAnswer() {
        if (singleAnswer == null) {
            throw new IllegalStateException("single answers need the IoT data plane's URL: set TETHER_DATA_ENDPOINT "
                    + "(e.g. http://127.0.0.1:9002), or AWS_IOT_HOST on AWS");
        }
        return singleAnswer;
    }

    /**
     * Closes the data plane's HTTP connections and drops the cached credentials, as a SnapStart snapshot requires;
     * both are opened again on first use.
     */
    public void prepareForSnapshot() {
        synchronized (this) {
            if (webClient != null) {
                webClient.close();
                webClient = null;
            }
        }
        forgetCredentials();
    }

    private synchronized WebClient webClient() {
        if (webClient == null) {
            webClient = WebClient.create(vertx);
        }
        return webClient;
    }

    /** Drops the cached credentials; the next connection attempt resolves them again. */
    public void forgetCredentials() {
        CachedCredentials old = credentials;
        credentials = credentialsFactory.apply(vertx);
        old.close();
        LOG.info("cached AWS credentials dropped; they are resolved again on the next connection");
    }

    /** A URL for the broker, presigned now with the current credentials. Never blocks. */
    public Future<String> freshUrl() {
        return credentials.current()
                .map(presigner::presign);
    }

    /** Closes the credentials cache; sessions are the service's to end, see {@link ResponderService#shutdown()}. */
    @Override
    public void close() {
        synchronized (this) {
            if (webClient != null) {
                webClient.close();
            }
        }
        credentials.close();
    }

    /** The presigner for AWS IoT Core's endpoint, or for {@code TETHER_ENDPOINT} when set. */
    static MqttUrlPresigner presigner(TetherConfig config, Clock clock) {
        MqttUrlPresigner.Builder builder = MqttUrlPresigner.builder()
                .region(config.region().id())
                .expires(config.presignedUrlExpiry())
                .clock(clock);
        if (config.endpointOverride().isEmpty()) {
            return builder.host(config.iotHost().orElseThrow()).build();
        }
        URI endpoint = config.endpointOverride().get();
        boolean defaultPort = endpoint.getPort() == ("wss".equals(endpoint.getScheme()) ? 443 : 80);
        // The Host header a WebSocket client sends leaves out a default port, and the signature covers it.
        return builder.scheme(endpoint.getScheme())
                .host(defaultPort ? endpoint.getHost() : endpoint.getHost() + ":" + endpoint.getPort())
                .path(endpoint.getPath())
                .build();
    }
}
