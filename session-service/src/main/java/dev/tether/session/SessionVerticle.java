package dev.tether.session;

import dev.tether.credentials.CredentialsUnavailable;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.CorsHandler;
import io.vertx.micrometer.PrometheusScrapingHandler;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The session service's HTTP API, on vertx-web:
 * <ul>
 *   <li>{@code GET /session}: 200 with {@link Session#toJson()}, or 503 with a reason when no credentials could be
 *       had;</li>
 *   <li>{@code GET /health/live}: 200 while the process serves HTTP;</li>
 *   <li>{@code GET /health/ready}: 200 when the service's credentials resolve, else 503;</li>
 *   <li>{@code GET /metrics}: Prometheus text from vertx-micrometer-metrics (empty unless Vert.x was built with
 *       Prometheus metrics enabled).</li>
 * </ul>
 * Unknown paths answer 404 and other methods 405, each with a JSON {@code error} and {@code reason}. Cross-origin
 * requests are allowed from the configured origins only, by vertx-web's {@link CorsHandler}; with none configured
 * no CORS headers are sent, so browsers keep other origins out.
 *
 * <p>Each request carries a request id: the caller's {@code X-Request-Id} when it is 1 to 64 letters, digits and
 * hyphens, else a new one; it is echoed in the response and leads every log line about the request. Stopping the
 * verticle stops taking connections and waits up to the shutdown grace period for requests in flight.
 */
public final class SessionVerticle extends VerticleBase {
    /** Header that carries the request id. */
    public static final String REQUEST_ID_HEADER = "X-Request-Id";

    private static final Logger LOG = LoggerFactory.getLogger(SessionVerticle.class);
    private static final Pattern REQUEST_ID = Pattern.compile("[A-Za-z0-9-]{1,64}");
    private static final String JSON = "application/json";
    private static final String REQUEST_ID_KEY = "tether.requestId";

    private final SessionService service;
    private final List<String> allowedOrigins;
    private final String host;
    private final int port;
    private final Duration shutdownGrace;
    private HttpServer server;

    /**
     * A verticle serving {@code service} on {@code host:port} (port 0 picks a free one).
     *
     * @param allowedOrigins origins allowed by CORS, or just {@code *} for any; empty allows none
     * @param shutdownGrace how long stopping waits for requests in flight
     */
    public SessionVerticle(SessionService service, List<String> allowedOrigins, String host, int port,
            Duration shutdownGrace) {
        this.service = Objects.requireNonNull(service, "service");
        this.allowedOrigins = List.copyOf(allowedOrigins);
        this.host = Objects.requireNonNull(host, "host");
        this.port = port;
        this.shutdownGrace = Objects.requireNonNull(shutdownGrace, "shutdownGrace");
    }

    @Override
    public Future<?> start() {
        Router router = Router.router(vertx);
        router.route().handler(this::tagRequest);
        if (!allowedOrigins.isEmpty()) {
            router.route().handler(CorsHandler.create()
                    .addOrigins(allowedOrigins)
                    .allowedMethod(HttpMethod.GET)
                    .exposedHeader(REQUEST_ID_HEADER)
                    .maxAgeSeconds(600));
        }
        router.get("/session").handler(this::openSession);
        router.get("/health/live").handler(ctx -> answer(ctx, 200, new JsonObject().put("status", "live")));
        router.get("/health/ready").handler(this::checkReady);
        router.get("/metrics").handler(PrometheusScrapingHandler.create());

        router.errorHandler(404, ctx -> answer(ctx, 404, error("not found", "no resource at "
                + ctx.request().path() + "; the session service serves GET /session, /health/live, /health/ready "
                + "and /metrics")));
        router.errorHandler(405, ctx -> {
            ctx.response().putHeader(HttpHeaders.ALLOW, "GET");
            answer(ctx, 405, error("method not allowed", ctx.request().method() + " is not allowed on "
                    + ctx.request().path() + "; allowed is GET"));
        });
        // CorsHandler fails a request from an origin not on the list with 403; answered here, it is a refusal the
        // caller gets told about, not an unhandled router failure logged as an error.
        router.errorHandler(403, ctx -> answer(ctx, 403, error("origin not allowed", "origin "
                + ctx.request().getHeader(HttpHeaders.ORIGIN) + " is not allowed; allowed: "
                + String.join(", ", allowedOrigins))));
        router.errorHandler(500, ctx -> {
            LOG.error("{} {} {} failed", requestId(ctx), ctx.request().method(), ctx.request().path(),
                    ctx.failure());
            answer(ctx, 500, error("internal error", "the request could not be served; see the service log"));
        });

        return vertx.createHttpServer()
                .requestHandler(router)
                .listen(port, host)
                .onSuccess(listening -> server = listening);
    }

    @Override
    public Future<?> stop() {
        if (server == null) {
            return Future.succeededFuture();
        }
        return server.shutdown(shutdownGrace.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** The port this verticle listens on; valid once started. */
    public int actualPort() {
        return server.actualPort();
    }

    private void tagRequest(RoutingContext ctx) {
        String given = ctx.request().getHeader(REQUEST_ID_HEADER);
        // A request id only correlates log lines, so a fast non-cryptographic random suffices.
        String requestId = given != null && REQUEST_ID.matcher(given).matches() ? given
                : Long.toHexString(ThreadLocalRandom.current().nextLong());
        ctx.put(REQUEST_ID_KEY, requestId);
        ctx.response().putHeader(REQUEST_ID_HEADER, requestId);
        ctx.next();
    }

    private void openSession(RoutingContext ctx) {
        String requestId = requestId(ctx);
        service.opener()
                .open()
                .onSuccess(session -> {
                    LOG.debug("{} channel {} opened", requestId, session.channelId());
                    // The body holds a credential-bearing URL: no cache may keep it.
                    ctx.response().putHeader(HttpHeaders.CACHE_CONTROL, "no-store");
                    answer(ctx, 200, session.toJson());
                })
                .onFailure(failure -> unavailable(ctx, requestId, failure));
    }

    private void checkReady(RoutingContext ctx) {
        service.checkReady()
                .onSuccess(ready -> answer(ctx, 200, new JsonObject().put("status", "ready")))
                .onFailure(failure -> {
                    LOG.warn("{} not ready: {}", requestId(ctx), failure.getMessage());
                    answer(ctx, 503, error("not ready", failure.getMessage()));
                });
    }

    private void unavailable(RoutingContext ctx, String requestId, Throwable failure) {
        if (failure instanceof StsUnavailable || failure instanceof CredentialsUnavailable) {
            Throwable cause = failure.getCause() == null ? failure : failure.getCause();
            LOG.warn("{} no session: {} ({})", requestId, failure.getMessage(), cause.toString());
            ctx.response().putHeader(HttpHeaders.RETRY_AFTER, "1");
            answer(ctx, 503, error("session unavailable", failure.getMessage()));
        } else {
            ctx.fail(failure);
        }
    }

    private static String requestId(RoutingContext ctx) {
        String requestId = ctx.get(REQUEST_ID_KEY);
        return requestId == null ? "-" : requestId;
    }

    private static JsonObject error(String error, String reason) {
        return new JsonObject()
                .put("error", error)
                .put("reason", reason);
    }

    private static void answer(RoutingContext ctx, int status, JsonObject body) {
        ctx.response()
                .setStatusCode(status)
                .putHeader(HttpHeaders.CONTENT_TYPE, JSON)
                .end(body.encode());
    }
}
