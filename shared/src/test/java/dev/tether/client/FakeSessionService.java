package dev.tether.client;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A session service on a loopback ephemeral port that grants a new channel on each {@code GET /session}, pointing
 * at the given broker. It can answer as the original pattern did (only {@code endpointUrl} and {@code channelId}),
 * or with an error status.
 */
final class FakeSessionService {
    final AtomicInteger grants = new AtomicInteger();
    volatile int status = 200;
    volatile boolean legacy;
    private final HttpServer server;
    private final String brokerUrl;

    private FakeSessionService(Vertx vertx, String brokerUrl) {
        this.brokerUrl = brokerUrl;
        this.server = vertx.createHttpServer()
                .requestHandler(request -> {
                    if (status != 200) {
                        request.response().setStatusCode(status).end("unavailable");
                        return;
                    }
                    int number = grants.incrementAndGet();
                    String channelId = "chan" + number;
                    JsonObject grant = new JsonObject()
                            .put("endpointUrl", brokerUrl)
                            .put("channelId", channelId);
                    if (!legacy) {
                        grant.put("clientId", "client-" + number)
                                .put("topics", new JsonObject()
                                        .put("session", "tether/session")
                                        .put("request", "tether/" + channelId + "/request")
                                        .put("response", "tether/" + channelId + "/response"))
                                .put("expiresAt", "2030-01-01T00:00:00Z");
                    }
                    request.response()
                            .putHeader("content-type", "application/json")
                            .end(grant.encode());
                });
    }

    static Future<FakeSessionService> start(Vertx vertx, String brokerUrl) {
        FakeSessionService service = new FakeSessionService(vertx, brokerUrl);
        return service.server.listen(0, "127.0.0.1")
                .map(listening -> service);
    }

    String url() {
        return "http://127.0.0.1:" + server.actualPort() + "/session";
    }

    Future<Void> close() {
        return server.close();
    }
}
