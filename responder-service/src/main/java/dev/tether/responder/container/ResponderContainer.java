package dev.tether.responder.container;

import dev.tether.mqtt.MqttClientOptions;
import dev.tether.mqtt.MqttReceivedMessage;
import dev.tether.mqtt.MqttWebSocketClient;
import dev.tether.mqtt.ReconnectPolicy;
import dev.tether.responder.ResponderRuntime;
import dev.tether.responder.ResponderService;
import dev.tether.responder.ResponderVerticle;
import dev.tether.responder.SessionSummary;
import dev.tether.wire.SessionMessage;
import dev.tether.wire.WireFormatInvalid;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The container responder while it runs: a connection subscribed to {@code $share/<group>/<prefix>/session}, so
 * that the broker hands each session message to one of the tasks sharing the group (AWS IoT developer guide,
 * "Shared Subscriptions"), one {@link dev.tether.responder.ResponderVerticle} per session, and an HTTP server with
 * {@code /health/live}, {@code /health/ready} and {@code /metrics} (Prometheus text: active sessions, requests,
 * sessions ended by reason, session messages refused, beside Vert.x's own metrics).
 *
 * <p>{@link #drain(Duration)} is what SIGTERM starts: readiness turns 503, the shared subscription is dropped so
 * that the broker sends new sessions to other tasks, and every active session ends with {@code end: shutdown} after
 * the answers it is sending.
 *
 * <p>Threading: methods may be called from any thread and never block.
 */
public final class ResponderContainer {
    /** The client id prefix of the connection that takes session messages from the shared subscription. */
    public static final String LISTENER_ID_PREFIX = ResponderVerticle.RESPONDER_ID_PREFIX + "main-";

    private static final Logger LOG = LoggerFactory.getLogger(ResponderContainer.class);
    private static final int NONCE_BYTES = 6;

    private final Vertx vertx;
    private final ResponderRuntime runtime;
    private final PrometheusMeterRegistry registry;
    private final String shareFilter;
    private final MqttWebSocketClient listener;
    private final Counter requests;
    private HttpServer server;
    private volatile boolean subscribed;
    private volatile boolean draining;
    private Future<Void> drained;

    private ResponderContainer(Vertx vertx, ResponderRuntime runtime, PrometheusMeterRegistry registry) {
        this.vertx = vertx;
        this.runtime = runtime;
        this.registry = registry;
        this.shareFilter = runtime.config().tether().topics().sharedSession(runtime.config().shareGroup());
        byte[] nonce = new byte[NONCE_BYTES];
        ThreadLocalRandom.current().nextBytes(nonce);
        this.listener = MqttWebSocketClient.create(vertx, MqttClientOptions.of(LISTENER_ID_PREFIX
                        + HexFormat.of().formatHex(nonce))
                        .withReconnect(ReconnectPolicy.exponential()))
                .messageHandler(this::onSessionMessage)
                .exceptionHandler(failure -> LOG.info("session listener: {}", failure.toString()))
                .closeHandler(closed -> subscribed = false);
        ResponderService service = runtime.service();
        Gauge.builder("tether.responder.active.sessions", service, ResponderService::activeSessions)
                .description("sessions being served now")
                .register(registry);
        this.requests = Counter.builder("tether.responder.requests")
                .description("requests passed to the handler in sessions that ended")
                .register(registry);
    }

    /**
     * Starts listening for session messages and serving HTTP.
     *
     * @param registry where the metrics go; {@code /metrics} serves it
     * @return the running container once subscribed and listening; or the failure to reach the broker or bind
     */
    public static Future<ResponderContainer> start(Vertx vertx, ResponderRuntime runtime,
            PrometheusMeterRegistry registry) {
        ResponderContainer container = new ResponderContainer(Objects.requireNonNull(vertx, "vertx"),
                Objects.requireNonNull(runtime, "runtime"), Objects.requireNonNull(registry, "registry"));
        return container.listen()
                .compose(port -> container.subscribe())
                .map(container);
    }

    /** The port of {@code /health} and {@code /metrics}. */
    public int httpPort() {
        return server.actualPort();
    }

    private Future<Integer> listen() {
        Router router = Router.router(vertx);
        router.get("/health/live").handler(context -> status(context, 200, "live"));
        router.get("/health/ready").handler(context -> {
            boolean ready = subscribed && !draining;
            status(context, ready ? 200 : 503, ready ? "ready" : draining ? "draining" : "not subscribed");
        });
        router.get("/metrics").handler(context -> context.response()
                .putHeader("content-type", "text/plain; version=0.0.4; charset=utf-8")
                .end(registry.scrape()));
        server = vertx.createHttpServer().requestHandler(router);
        return server.listen(runtime.config().httpPort())
                .map(HttpServer::actualPort)
                .onSuccess(port -> LOG.info("health and metrics on port {}", port));
    }

    private Future<Void> subscribe() {
        return listener.connect(runtime::freshUrl)
                .compose(sessionPresent -> listener.subscribe(shareFilter, 1))
                .onSuccess(granted -> {
                    subscribed = true;
                    LOG.info("taking session messages from {}", shareFilter);
                })
                .mapEmpty();
    }

    private void onSessionMessage(MqttReceivedMessage message) {
        SessionMessage session;
        try {
            session = SessionMessage.decode(message.payload());
        } catch (WireFormatInvalid e) {
            LOG.warn("session message refused: {}", e.getMessage());
            refused("malformed");
            return;
        }
        runtime.service().serve(session, Optional.empty())
                .onSuccess(this::ended)
                .onFailure(failure -> refused(failure.getClass().getSimpleName()));
    }

    private void ended(SessionSummary summary) {
        requests.increment(summary.requests());
        Counter.builder("tether.responder.sessions.ended")
                .description("sessions ended, by the reason given in end")
                .tag("reason", summary.reason().wireName())
                .register(registry)
                .increment();
    }

    private void refused(String why) {
        Counter.builder("tether.responder.session.messages.refused")
                .description("session messages that started no session, by why")
                .tag("why", why)
                .register(registry)
                .increment();
    }

    private static void status(RoutingContext context, int code, String status) {
        context.response()
                .setStatusCode(code)
                .putHeader("content-type", "application/json")
                .end(new JsonObject().put("status", status).encode());
    }

    /**
     * Stops taking sessions and ends the active ones with {@code end: shutdown}, within the grace period.
     *
     * @return completes when every session ended or the grace period ran out, whichever comes first
     */
    public synchronized Future<Void> drain(Duration grace) {
        if (drained != null) {
            return drained;
        }
        draining = true;
        int active = runtime.service().activeSessions();
        LOG.info("draining: taking no new sessions, ending {} active ones within {} s", active, grace.toSeconds());
        Future<Void> stopListening = listener.unsubscribe(shareFilter)
                .recover(failure -> Future.succeededFuture())
                .compose(unsubscribed -> listener.disconnect());
        drained = Future.join(stopListening, runtime.service().shutdown())
                .<Void>mapEmpty()
                .timeout(grace.toMillis(), TimeUnit.MILLISECONDS)
                .recover(late -> {
                    LOG.warn("{} sessions still active when the grace period ran out",
                            runtime.service().activeSessions());
                    return Future.succeededFuture();
                })
                .compose(done -> server.close())
                .onComplete(done -> LOG.info("drained"));
        return drained;
    }
}
