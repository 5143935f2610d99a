package dev.tether.run;

import dev.tether.local.lambda.InvocationResult;
import dev.tether.local.lambda.LambdaRuntime;
import dev.tether.local.lambda.Throttled;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Base64;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A stand-in for an API Gateway HTTP API with the session function as its default route's Lambda integration
 * (payload format 2.0), on the same port as the demo page: {@code /} and the page's few files are served from the
 * classpath's {@code webroot}, every other path becomes an event for the function.
 *
 * <p>As API Gateway does, it answers {@code 429} when the function is throttled and {@code 502} when it fails or
 * answers something that is not a valid response.
 */
final class ApiGateway {
    private static final Logger LOG = LoggerFactory.getLogger(ApiGateway.class);
    private static final DateTimeFormatter REQUEST_TIME =
            DateTimeFormatter.ofPattern("dd/MMM/yyyy:HH:mm:ss Z", Locale.ROOT).withZone(ZoneOffset.UTC);
    // The demo page's files, from the classpath's webroot, with their content types.
    private static final Map<String, String> PAGES = Map.of(
            "index.html", "text/html;charset=UTF-8",
            "demo.js", "text/javascript;charset=UTF-8",
            "demo.css", "text/css;charset=UTF-8",
            "mqtt.min.js", "text/javascript;charset=UTF-8");

    private final Vertx vertx;
    private final LambdaRuntime function;

    ApiGateway(Vertx vertx, LambdaRuntime function) {
        this.vertx = vertx;
        this.function = function;
    }

    Future<HttpServer> listen(String host, int port) {
        Router router = Router.router(vertx);
        router.get("/").handler(ctx -> page(ctx, "index.html"));
        // Browsers ask for it; without this it would be an invocation of the session function.
        router.get("/favicon.ico").handler(ctx -> ctx.response().setStatusCode(204).end());
        PAGES.forEach((name, type) -> router.get("/" + name).handler(ctx -> page(ctx, name)));
        router.route().handler(ctx -> ctx.request().body().onSuccess(body -> integrate(ctx, body)));
        return vertx.createHttpServer().requestHandler(router).listen(port, host);
    }

    private void integrate(RoutingContext ctx, Buffer body) {
        JsonObject event = event(ctx.request(), body);
        function.invoke(event.toBuffer()).onComplete(done -> {
            if (done.failed()) {
                if (done.cause() instanceof Throttled) {
                    message(ctx, 429, "Too Many Requests");
                } else {
                    LOG.warn("the session function could not be invoked: {}", done.cause().getMessage());
                    message(ctx, 500, "Internal Server Error");
                }
                return;
            }
            InvocationResult result = done.result();
            if (!result.succeeded()) {
                LOG.warn("the session function failed: {}: {}", result.errorType().orElse("?"),
                        result.errorMessage().orElse(""));
                message(ctx, 502, "Internal Server Error");
                return;
            }
            respond(ctx, result.payload());
        });
    }

    private static void page(RoutingContext ctx, String name) {
        ctx.response()
                .putHeader("content-type", PAGES.get(name))
                .putHeader("cache-control", "no-cache")
                .sendFile("webroot/" + name);
    }

    private static JsonObject event(HttpServerRequest request, Buffer body) {
        JsonObject headers = new JsonObject();
        MultiMap incoming = request.headers();
        for (String name : incoming.names()) {
            headers.put(name.toLowerCase(Locale.ROOT), String.join(",", incoming.getAll(name)));
        }
        JsonObject query = new JsonObject();
        request.params().names().forEach(name -> query.put(name, String.join(",", request.params().getAll(name))));
        Instant now = Instant.now();
        String requestId = UUID.randomUUID().toString();
        JsonObject http = new JsonObject()
                .put("method", request.method().name())
                .put("path", request.path())
                .put("protocol", "HTTP/1.1")
                .put("sourceIp", request.remoteAddress() == null ? "127.0.0.1" : request.remoteAddress().hostAddress())
                .put("userAgent", request.getHeader("user-agent") == null ? "" : request.getHeader("user-agent"));
        JsonObject event = new JsonObject()
                .put("version", "2.0")
                .put("routeKey", "$default")
                .put("rawPath", request.path())
                .put("rawQueryString", request.query() == null ? "" : request.query())
                .put("headers", headers)
                .put("requestContext", new JsonObject()
                        .put("accountId", "000000000000")
                        .put("apiId", "local")
                        .put("domainName", request.authority() == null ? "127.0.0.1" : request.authority().host())
                        .put("domainPrefix", "local")
                        .put("http", http)
                        .put("requestId", requestId)
                        .put("routeKey", "$default")
                        .put("stage", "$default")
                        .put("time", REQUEST_TIME.format(now))
                        .put("timeEpoch", now.toEpochMilli()))
                .put("isBase64Encoded", body.length() > 0);
        if (!query.isEmpty()) {
            event.put("queryStringParameters", query);
        }
        if (body.length() > 0) {
            event.put("body", Base64.getEncoder().encodeToString(body.getBytes()));
        }
        return event;
    }

    // A payload 2.0 response: statusCode, headers, cookies, body and isBase64Encoded.
    private static void respond(RoutingContext ctx, Buffer payload) {
        JsonObject response;
        try {
            response = new JsonObject(payload);
        } catch (DecodeException | ClassCastException notAnObject) {
            message(ctx, 502, "Internal Server Error");
            return;
        }
        Integer status = response.getInteger("statusCode");
        if (status == null) {
            message(ctx, 502, "Internal Server Error");
            return;
        }
        JsonObject headers = response.getJsonObject("headers", new JsonObject());
        for (Map.Entry<String, Object> header : headers) {
            ctx.response().putHeader(header.getKey(), String.valueOf(header.getValue()));
        }
        JsonArray cookies = response.getJsonArray("cookies", new JsonArray());
        for (Object cookie : cookies) {
            ctx.response().headers().add("set-cookie", String.valueOf(cookie));
        }
        String body = response.getString("body", "");
        Buffer bytes = response.getBoolean("isBase64Encoded", false) ? Buffer.buffer(Base64.getDecoder().decode(body))
                : Buffer.buffer(body.getBytes(StandardCharsets.UTF_8));
        ctx.response().setStatusCode(status).end(bytes);
    }

    private static void message(RoutingContext ctx, int status, String message) {
        ctx.response()
                .setStatusCode(status)
                .putHeader("content-type", "application/json")
                .end(new JsonObject().put("message", message).encode());
    }
}
