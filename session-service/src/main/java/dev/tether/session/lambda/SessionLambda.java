package dev.tether.session.lambda;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.amazonaws.services.lambda.runtime.serialization.PojoSerializer;
import com.amazonaws.services.lambda.runtime.serialization.events.LambdaEventSerializers;
import dev.tether.session.SessionService;
import dev.tether.session.SessionVerticle;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * The session service on AWS Lambda, behind API Gateway: an HTTP API with payload format 2.0, or a REST API (or an
 * HTTP API with payload format 1.0), the original pattern's {@code http} event. The payload version is read from the
 * event itself, so one handler serves both: {@code dev.tether.session.lambda.SessionLambda::handleRequest}.
 *
 * <p>The Vert.x instance, the STS client, credentials and the verticle live in a static field, built during the
 * first (cold start) invocation's init and reused by every warm one. Each event is parsed with the Lambda runtime's
 * own serializers into aws-lambda-java-events types and relayed to the same {@link SessionVerticle} the container
 * runs. The handler thread waits for the answer, which Lambda's programming model requires; no event loop waits.
 *
 * <p>Log lines carry the Lambda request id and whether the invocation was a cold start, in the MDC keys
 * {@code requestId} and {@code coldStart}.
 */
public final class SessionLambda implements RequestStreamHandler {
    /** Time kept back from the invocation's remaining time, so the handler answers before Lambda stops it. */
    public static final int SAFETY_MARGIN_MILLIS = 500;

    private static final long INIT_TIMEOUT_SECONDS = 30;
    private static final Logger LOG = LoggerFactory.getLogger(SessionLambda.class);
    private static final PojoSerializer<APIGatewayV2HTTPEvent> HTTP_API_EVENTS =
            LambdaEventSerializers.serializerFor(APIGatewayV2HTTPEvent.class, SessionLambda.class.getClassLoader());
    private static final PojoSerializer<APIGatewayProxyRequestEvent> REST_API_EVENTS = LambdaEventSerializers
            .serializerFor(APIGatewayProxyRequestEvent.class, SessionLambda.class.getClassLoader());
    // Hop-by-hop and framing headers belong to API Gateway's connection, not to the relayed request.
    private static final Set<String> NOT_RELAYED = Set.of("host", "connection", "content-length",
            "transfer-encoding", "keep-alive", "upgrade", "x-request-id");
    private static final Object INIT_LOCK = new Object();
    private static LambdaHost sharedHost;

    private final LambdaHost host;
    private final AtomicBoolean coldStart = new AtomicBoolean(true);

    /** Called by the Lambda runtime: builds the shared host from the environment on the first invocation only. */
    public SessionLambda() {
        this(sharedHost());
    }

    /**
     * Builds a host of its own from the given environment instead of the process's: for running beside other
     * functions in one JVM, as the local Lambda stand-in's in-process mode does.
     */
    public SessionLambda(Map<String, String> environment) {
        this(startHost(environment, SessionService.Dependencies.fromEnvironment(environment)));
    }

    SessionLambda(LambdaHost host) {
        this.host = Objects.requireNonNull(host, "host");
    }

    private static LambdaHost sharedHost() {
        synchronized (INIT_LOCK) {
            if (sharedHost == null) {
                sharedHost = startHost(System.getenv(), SessionService.Dependencies.defaults());
            }
            return sharedHost;
        }
    }

    // Lambda's init phase runs on this thread, which may wait; a bad configuration fails init with a message naming
    // each variable.
    private static LambdaHost startHost(Map<String, String> environment, SessionService.Dependencies dependencies) {
        try {
            return LambdaHost.start(environment, dependencies).await(INIT_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (TimeoutException timedOut) {
            throw new IllegalStateException("the session service did not start within " + INIT_TIMEOUT_SECONDS
                    + " s", timedOut);
        }
    }

    /**
     * Handles one API Gateway event.
     *
     * @throws IOException if the event cannot be read or the answer written
     */
    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        byte[] event = input.readAllBytes();
        boolean cold = coldStart.getAndSet(false);
        MDC.put("requestId", context.getAwsRequestId());
        MDC.put("coldStart", Boolean.toString(cold));
        try {
            JsonObject raw = new JsonObject(Buffer.buffer(event));
            if ("2.0".equals(raw.getString("version"))) {
                APIGatewayV2HTTPEvent request = HTTP_API_EVENTS.fromJson(new ByteArrayInputStream(event));
                APIGatewayV2HTTPResponse response = handleHttpApi(request, context);
                output.write(httpApiJson(response).getBytes(StandardCharsets.UTF_8));
            } else {
                APIGatewayProxyRequestEvent request = REST_API_EVENTS.fromJson(new ByteArrayInputStream(event));
                APIGatewayProxyResponseEvent response = handleRestApi(request, context);
                output.write(restApiJson(response).getBytes(StandardCharsets.UTF_8));
            }
        } finally {
            MDC.remove("requestId");
            MDC.remove("coldStart");
        }
    }

    APIGatewayV2HTTPResponse handleHttpApi(APIGatewayV2HTTPEvent event, Context context) {
        APIGatewayV2HTTPEvent.RequestContext.Http http = event.getRequestContext().getHttp();
        String query = event.getRawQueryString() == null || event.getRawQueryString().isEmpty() ? ""
                : "?" + event.getRawQueryString();
        MultiMap headers = MultiMap.caseInsensitiveMultiMap();
        if (event.getHeaders() != null) {
            event.getHeaders().forEach(headers::add);
        }
        if (event.getCookies() != null && !event.getCookies().isEmpty()) {
            headers.add("cookie", String.join("; ", event.getCookies()));
        }
        LambdaHost.Relayed relayed = relay(http.getMethod(), http.getPath() + query, headers, event.getBody(),
                event.getIsBase64Encoded(), context);

        APIGatewayV2HTTPResponse response = new APIGatewayV2HTTPResponse();
        response.setStatusCode(relayed.statusCode());
        Map<String, String> responseHeaders = new HashMap<>();
        relayed.headers().names().forEach(name -> responseHeaders.put(name.toLowerCase(Locale.ROOT),
                String.join(",", relayed.headers().getAll(name))));
        response.setHeaders(responseHeaders);
        response.setBody(relayed.body().toString(StandardCharsets.UTF_8));
        response.setIsBase64Encoded(false);
        return response;
    }

    APIGatewayProxyResponseEvent handleRestApi(APIGatewayProxyRequestEvent event, Context context) {
        MultiMap headers = MultiMap.caseInsensitiveMultiMap();
        if (event.getMultiValueHeaders() != null) {
            event.getMultiValueHeaders().forEach(headers::add);
        } else if (event.getHeaders() != null) {
            event.getHeaders().forEach(headers::add);
        }
        LambdaHost.Relayed relayed = relay(event.getHttpMethod(), event.getPath() + restApiQuery(event), headers,
                event.getBody(), Boolean.TRUE.equals(event.getIsBase64Encoded()), context);

        Map<String, List<String>> responseHeaders = new HashMap<>();
        relayed.headers().names().forEach(name -> responseHeaders.put(name.toLowerCase(Locale.ROOT),
                relayed.headers().getAll(name)));
        return new APIGatewayProxyResponseEvent()
                .withStatusCode(relayed.statusCode())
                .withMultiValueHeaders(responseHeaders)
                .withBody(relayed.body().toString(StandardCharsets.UTF_8))
                .withIsBase64Encoded(false);
    }

    private LambdaHost.Relayed relay(String method, String pathAndQuery, MultiMap eventHeaders, String body,
            boolean base64, Context context) {
        MultiMap headers = MultiMap.caseInsensitiveMultiMap();
        eventHeaders.forEach((name, value) -> {
            if (!NOT_RELAYED.contains(name.toLowerCase(Locale.ROOT))) {
                headers.add(name, value);
            }
        });
        headers.set(SessionVerticle.REQUEST_ID_HEADER, context.getAwsRequestId());
        Buffer payload = body == null ? Buffer.buffer()
                : Buffer.buffer(base64 ? Base64.getDecoder().decode(body) : body.getBytes(StandardCharsets.UTF_8));
        long waitMillis = context.getRemainingTimeInMillis() - SAFETY_MARGIN_MILLIS;

        LambdaHost.Relayed relayed;
        if (waitMillis <= 0) {
            relayed = timedOut();
        } else {
            try {
                relayed = host.relay(HttpMethod.valueOf(method), pathAndQuery, headers, payload)
                        .get(waitMillis, TimeUnit.MILLISECONDS);
            } catch (TimeoutException timedOut) {
                relayed = timedOut();
            } catch (ExecutionException failed) {
                LOG.error("{} {} could not be relayed to the session service", context.getAwsRequestId(), method,
                        failed.getCause());
                relayed = relayFailed();
            } catch (InterruptedException interrupted) {
                Thread.currentThread().interrupt();
                relayed = relayFailed();
            }
        }
        LOG.info("{} {} {} answered {}", context.getAwsRequestId(), method, pathAndQuery.split("\\?", 2)[0],
                relayed.statusCode());
        return relayed;
    }

    private static LambdaHost.Relayed relayFailed() {
        JsonObject error = new JsonObject()
                .put("error", "internal error")
                .put("reason", "the request could not be served; see the function's log");
        return new LambdaHost.Relayed(500, MultiMap.caseInsensitiveMultiMap()
                .add("content-type", "application/json"), error.toBuffer());
    }

    private static LambdaHost.Relayed timedOut() {
        JsonObject error = new JsonObject()
                .put("error", "timeout")
                .put("reason", "no answer within the invocation's remaining time less " + SAFETY_MARGIN_MILLIS
                        + " ms");
        return new LambdaHost.Relayed(504, MultiMap.caseInsensitiveMultiMap()
                .add("content-type", "application/json"), error.toBuffer());
    }

    private static String restApiQuery(APIGatewayProxyRequestEvent event) {
        Map<String, List<String>> parameters = event.getMultiValueQueryStringParameters();
        if (parameters == null || parameters.isEmpty()) {
            return "";
        }
        List<String> pairs = new ArrayList<>();
        parameters.forEach((name, values) -> values.forEach(value -> pairs.add(
                URLEncoder.encode(name, StandardCharsets.UTF_8) + "=" + URLEncoder.encode(value,
                        StandardCharsets.UTF_8))));
        return pairs.stream().collect(Collectors.joining("&", "?", ""));
    }

    // API Gateway reads these fields of a proxy integration's answer (API Gateway developer guide, "Create AWS
    // Lambda proxy integrations for HTTP APIs" and "... for REST APIs").
    private static String httpApiJson(APIGatewayV2HTTPResponse response) {
        return new JsonObject()
                .put("statusCode", response.getStatusCode())
                .put("headers", new JsonObject(new HashMap<>(response.getHeaders())))
                .put("body", response.getBody())
                .put("isBase64Encoded", response.getIsBase64Encoded())
                .encode();
    }

    private static String restApiJson(APIGatewayProxyResponseEvent response) {
        JsonObject headers = new JsonObject();
        response.getMultiValueHeaders().forEach((name, values) -> headers.put(name, values));
        return new JsonObject()
                .put("statusCode", response.getStatusCode())
                .put("multiValueHeaders", headers)
                .put("body", response.getBody())
                .put("isBase64Encoded", response.getIsBase64Encoded())
                .encode();
    }
}
