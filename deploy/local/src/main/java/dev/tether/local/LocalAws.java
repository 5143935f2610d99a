package dev.tether.local;

import dev.tether.IotLimits;
import dev.tether.local.config.LocalConfig;
import dev.tether.local.config.StaticKey;
import dev.tether.local.dataplane.PublishHandler;
import dev.tether.local.iam.Identity;
import dev.tether.local.iam.IdentityStore;
import dev.tether.local.iam.Permissions;
import dev.tether.local.iot.IotBroker;
import dev.tether.local.iot.TopicFilterMatcher;
import dev.tether.local.rules.TopicRules;
import dev.tether.local.sts.AssumeRoleHandler;
import dev.tether.local.sts.Role;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.BodyHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The local stand-ins for AWS IoT Core and STS in one verticle: the MQTT-over-WebSocket broker, and one HTTP server
 * whose router serves the IoT data plane ({@code POST /topics/*}, SigV4 service {@code iotdata}) and STS
 * ({@code POST /}, service {@code sts}). Everything runs on this verticle's context.
 *
 * <pre>{@code
 * LocalAws aws = new LocalAws(LocalConfig.defaults(), Clock.systemUTC());
 * vertx.deployVerticle(aws).onSuccess(id -> aws.rules().add("sessions", "SELECT * FROM 'tether/session'", fn));
 * }</pre>
 */
public final class LocalAws extends VerticleBase {
    private static final Logger LOG = LoggerFactory.getLogger(LocalAws.class);

    private final LocalConfig config;
    private final Clock clock;
    private final IdentityStore identities;
    private final TopicRules rules;
    private IotBroker broker;
    private HttpServer http;

    /**
     * @param config ports, region, keys and roles
     * @param clock the time signatures, credentials and sessions are judged by
     */
    public LocalAws(LocalConfig config, Clock clock) {
        this.config = Objects.requireNonNull(config, "config");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.identities = new IdentityStore(clock);
        this.rules = new TopicRules(TopicFilterMatcher::matches);
        for (StaticKey key : config.keys()) {
            identities.add(new Identity(key.accessKeyId(), key.secretAccessKey(), Optional.empty(), key.name(),
                    Permissions.of(key.policy()), Optional.empty()));
        }
    }

    @Override
    public Future<?> start() {
        broker = new IotBroker(vertx, config.broker(), identities, rules, clock);
        Map<String, Role> roles = new LinkedHashMap<>();
        config.roles().forEach(role -> roles.put(role.arn(), role));
        String region = config.broker().region();

        Router router = Router.router(vertx);
        router.post()
                .handler(BodyHandler.create().setBodyLimit(IotLimits.MAX_PAYLOAD_BYTES + 1));
        router.post("/topics/*")
                .handler(new PublishHandler(broker, identities, region, clock));
        router.post("/")
                .handler(new AssumeRoleHandler(roles, identities, region, clock));
        http = vertx.createHttpServer(new HttpServerOptions()
                .setHost(config.broker().host())
                .setPort(config.httpPort()));
        return broker.start()
                .compose(port -> http.requestHandler(router).listen())
                .onSuccess(server -> LOG.info("IoT data plane and STS stand-ins listening on http://{}:{}",
                        config.broker().host(), server.actualPort()));
    }

    @Override
    public Future<?> stop() {
        Future<Void> httpClosed = http == null ? Future.succeededFuture() : http.close();
        Future<Void> brokerClosed = broker == null ? Future.succeededFuture() : broker.close();
        return Future.all(httpClosed, brokerClosed);
    }

    /** The broker's WebSocket port, once deployed. */
    public int brokerPort() {
        return broker.port();
    }

    /** The data plane's and STS's HTTP port, once deployed. */
    public int httpPort() {
        return http.actualPort();
    }

    /** The broker, once deployed. */
    public IotBroker broker() {
        return broker;
    }

    /** The topic rules; rules may be added from any thread. */
    public TopicRules rules() {
        return rules;
    }

    /** The keys the stand-ins accept, static and issued. */
    public IdentityStore identities() {
        return identities;
    }
}
