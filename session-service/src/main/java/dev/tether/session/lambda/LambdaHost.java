package dev.tether.session.lambda;

import dev.tether.config.TetherConfig;
import dev.tether.session.SessionService;
import dev.tether.session.SessionSettings;
import dev.tether.session.SessionVerticle;
import dev.tether.session.SessionVertx;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * What one Lambda execution environment keeps across warm invocations: its Vert.x, the session service with its
 * STS client, and the {@link SessionVerticle} listening on a loopback port, to which each API Gateway event is
 * relayed as an HTTP request.
 *
 * <p>Relaying over loopback, as the AWS Lambda Web Adapter does, lets Lambda and the container serve the very same
 * routes, CORS rules, errors and metrics; it costs one local round trip on an open connection.
 */
final class LambdaHost {
    private static final String LOOPBACK = "127.0.0.1";

    private final Vertx vertx;
    private final SessionService service;
    private final HttpClient client;
    private final Context context;
    private final int port;

    private LambdaHost(Vertx vertx, SessionService service, HttpClient client, int port) {
        this.vertx = vertx;
        this.service = service;
        this.client = client;
        this.context = vertx.getOrCreateContext();
        this.port = port;
    }

    /**
     * Starts the service on a loopback port.
     *
     * @throws dev.tether.config.ConfigInvalid at once, naming every variable with a bad value
     */
    static Future<LambdaHost> start(Map<String, String> env, SessionService.Dependencies dependencies) {
        TetherConfig config = TetherConfig.fromEnvironment(env);
        SessionSettings settings = SessionSettings.fromEnvironment(env);

        Vertx vertx = SessionVertx.create();
        SessionService service = SessionService.create(vertx, config, settings, dependencies);
        // Lambda sends one invocation at a time to an environment, so one verticle and one connection serve it.
        SessionVerticle verticle = new SessionVerticle(service, config.allowedOrigins(), LOOPBACK, 0,
                Duration.ZERO);
        HttpClient client = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(true),
                new PoolOptions().setHttp1MaxSize(1));
        return vertx.deployVerticle(verticle)
                .map(id -> new LambdaHost(vertx, service, client, verticle.actualPort()))
                .recover(failure -> {
                    service.close();
                    // Not awaited: a close started on an event loop of this Vert.x completes on no running thread.
                    vertx.close();
                    return Future.failedFuture(failure);
                });
    }

    /**
     * Relays one request to the verticle; the answer completes the returned future, for the invocation's thread to
     * wait on.
     *
     * <p>The request is made and its response read on one event-loop context of this host. Building the chain from
     * the invocation's thread instead registers the response's body handler from outside the loop, and in Vert.x 5
     * the body of a small response that arrived meanwhile is then sometimes never delivered: the invocation waits
     * out its time for a response already received.
     */
    CompletableFuture<Relayed> relay(HttpMethod method, String pathAndQuery, MultiMap headers, Buffer body) {
        RequestOptions options = new RequestOptions()
                .setHost(LOOPBACK)
                .setPort(port)
                .setMethod(method)
                .setURI(pathAndQuery)
                .setHeaders(headers);
        CompletableFuture<Relayed> answer = new CompletableFuture<>();
        context.runOnContext(ignored -> client.request(options)
                .compose(request -> request.send(body))
                .compose(response -> response.body()
                        .map(responseBody -> new Relayed(response.statusCode(), response.headers(), responseBody)))
                .onSuccess(answer::complete)
                .onFailure(answer::completeExceptionally));
        return answer;
    }

    /**
     * Closes the service and Vert.x; for tests, as Lambda simply freezes and discards an environment. Call from a
     * thread that is not one of this Vert.x's.
     */
    Future<Void> close() {
        service.close();
        return vertx.close();
    }

    /** The verticle's response to a relayed request. */
    record Relayed(int statusCode, MultiMap headers, Buffer body) {
    }
}
