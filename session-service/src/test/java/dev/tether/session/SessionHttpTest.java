package dev.tether.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tether.channel.ChannelId;
import dev.tether.channel.ChannelIds;
import dev.tether.channel.ChannelSecret;
import dev.tether.config.ConfigInvalid;
import dev.tether.session.container.SessionMain;
import dev.tether.sigv4.SigV4Verifier;
import dev.tether.sigv4.Verification;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.net.ServerSocket;
import java.net.URI;
import java.security.SecureRandom;
import java.time.Clock;

import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;

/** The session service in its container entrypoint, on an ephemeral loopback port, driven over real HTTP. */
@ExtendWith(VertxExtension.class)
class SessionHttpTest {
    static final String SECRET = "a-channel-secret-of-at-least-32-bytes!";
    static final String ORIGIN = "https://app.example.com";
    static final String ROLE = "arn:aws:iam::123456789012:role/tether-client";

    private LoopbackSts sts;
    private SessionMain.Running running;
    private WebClient client;

    @BeforeEach
    void startSts(Vertx vertx, VertxTestContext context) {
        client = WebClient.create(vertx, new WebClientOptions().setDefaultHost("127.0.0.1"));
        LoopbackSts.start(vertx, Clock.systemUTC())
                .onSuccess(started -> sts = started)
                .onComplete(context.succeedingThenComplete());
    }

    @AfterEach
    void stop() {
        if (running != null) {
            running.stop();
        }
    }

    static Map<String, String> env() {
        Map<String, String> env = new HashMap<>();
        env.put("AWS_REGION", "us-east-1");
        env.put("TETHER_ENDPOINT", "ws://127.0.0.1:9001/mqtt");
        env.put("TETHER_CHANNEL_SECRET", SECRET);
        env.put("TETHER_HTTP_PORT", "0");
        env.put("TETHER_ALLOWED_ORIGINS", ORIGIN);
        return env;
    }

    private Future<SessionMain.Running> start(Map<String, String> env, Optional<URI> stsEndpoint) {
        SessionService.Dependencies dependencies = new SessionService.Dependencies(
                StaticCredentialsProvider.create(LoopbackSts.SERVICE_CREDENTIALS), stsEndpoint, Clock.systemUTC());
        return SessionMain.start(env, dependencies, "127.0.0.1", 1)
                .onSuccess(started -> running = started);
    }

    private Future<SessionMain.Running> startScoped(int poolSize) {
        Map<String, String> env = env();
        env.put("TETHER_CLIENT_ROLE_ARN", ROLE);
        env.put("TETHER_SESSION_POOL_SIZE", Integer.toString(poolSize));
        return start(env, Optional.of(sts.endpoint()));
    }

    private Future<HttpResponse<io.vertx.core.buffer.Buffer>> get(String path) {
        return client.get(running.port(), "127.0.0.1", path)
                .send();
    }

    static Verification verifyUrl(String endpointUrl, AwsCredentialsIdentity credentials) {
        URI url = URI.create(endpointUrl);
        SigV4Verifier verifier = SigV4Verifier.builder()
                .credentials(id -> id.equals(credentials.accessKeyId()) ? Optional.of(credentials) : Optional.empty())
                .region("us-east-1")
                .service("iotdevicegateway")
                .build();
        return verifier.verifyPresignedUrl(url.getRawPath(), url.getRawQuery(), url.getHost() + ":" + url.getPort());
    }

    @Test
    @DisplayName("without a client role, GET /session answers a channel the responder can verify and a URL signed "
            + "with the service's credentials")
    void sessionWithServiceCredentials(VertxTestContext context) {
        start(env(), Optional.empty())
                .compose(started -> get("/session"))
                .onComplete(context.succeeding(response -> context.verify(() -> {
                    assertThat(response.statusCode()).isEqualTo(200);
                    assertThat(response.getHeader("Content-Type")).isEqualTo("application/json");
                    assertThat(response.getHeader("Cache-Control")).isEqualTo("no-store");
                    JsonObject body = response.bodyAsJsonObject();
                    ChannelId channel = new ChannelIds(ChannelSecret.fromUtf8(SECRET), Clock.systemUTC(),
                            new SecureRandom()).verify(body.getString("channelId"));
                    assertThat(body.getString("clientId")).isEqualTo("tether-client-" + channel.value());
                    assertThat(body.getJsonObject("topics")).isEqualTo(new JsonObject()
                            .put("session", "tether/session")
                            .put("request", "tether/" + channel.value() + "/request")
                            .put("response", "tether/" + channel.value() + "/response"));
                    assertThat(body.getString("endpointUrl")).startsWith("ws://127.0.0.1:9001/mqtt?");
                    assertThat(verifyUrl(body.getString("endpointUrl"), LoopbackSts.SERVICE_CREDENTIALS))
                            .isInstanceOf(Verification.Accepted.class);
                    Instant expiresAt = Instant.parse(body.getString("expiresAt"));
                    assertThat(expiresAt).isBetween(Instant.now().plusSeconds(290), Instant.now().plusSeconds(301));
                    assertThat(sts.calls()).isEmpty();
                    context.completeNow();
                })));
    }

    @Test
    @DisplayName("with a client role, the URL is signed with STS credentials whose session policy allows only "
            + "this channel")
    void sessionWithScopedCredentials(VertxTestContext context) {
        startScoped(0)
                .compose(started -> get("/session"))
                .onComplete(context.succeeding(response -> context.verify(() -> {
                    assertThat(response.statusCode()).isEqualTo(200);
                    JsonObject body = response.bodyAsJsonObject();
                    String channel = body.getString("channelId");
                    assertThat(sts.calls()).hasSize(1);
                    Map<String, String> call = sts.calls().get(0);
                    assertThat(call).containsEntry("Action", "AssumeRole")
                            .containsEntry("RoleArn", ROLE)
                            .containsEntry("RoleSessionName", "t-" + channel)
                            .containsEntry("DurationSeconds", "900");
                    JsonObject policy = new JsonObject(call.get("Policy"));
                    String arn = "arn:aws:iot:us-east-1:123456789012:";
                    assertThat(policy.getJsonArray("Statement").encode())
                            .contains(arn + "client/tether-client-" + channel)
                            .contains(arn + "topicfilter/tether/" + channel + "/response")
                            .contains(arn + "topic/tether/" + channel + "/request")
                            .contains(arn + "topic/tether/session");

                    URI url = URI.create(body.getString("endpointUrl"));
                    String accessKeyId = url.getQuery().replaceAll(".*X-Amz-Credential=([A-Z0-9]+)/.*", "$1");
                    assertThat(accessKeyId).startsWith("ASIA");
                    AwsCredentialsIdentity issued = AwsSessionCredentials.create(accessKeyId,
                            sts.secretOf(accessKeyId).orElseThrow(), "token/" + accessKeyId + "+=");
                    Verification verification = verifyUrl(body.getString("endpointUrl"), issued);
                    assertThat(verification).isInstanceOf(Verification.Accepted.class);
                    assertThat(((Verification.Accepted) verification).sessionToken())
                            .contains("token/" + accessKeyId + "+=");
                    context.completeNow();
                })));
    }

    @Test
    @DisplayName("a pool hands each pre-minted channel out once, and a URL presigned when it is served")
    void poolServesEachChannelOnce(VertxTestContext context) {
        startScoped(3)
                .compose(started -> awaitPoolFull(running.service().pool().orElseThrow(), 3))
                .compose(full -> get("/metrics"))
                .compose(metrics -> {
                    context.verify(() -> assertThat(metrics.bodyAsString())
                            .containsPattern("(?m)^tether_session_pool_ready(\\{[^}]*})? 3\\.0$"));
                    return Future.all(get("/session"), get("/session"), get("/session"), get("/session"));
                })
                .onComplete(context.succeeding(all -> context.verify(() -> {
                    java.util.Set<String> channels = new java.util.HashSet<>();
                    for (int i = 0; i < 4; i++) {
                        HttpResponse<io.vertx.core.buffer.Buffer> response = all.resultAt(i);
                        assertThat(response.statusCode()).isEqualTo(200);
                        channels.add(response.bodyAsJsonObject().getString("channelId"));
                    }
                    assertThat(channels).hasSize(4);
                    // Every channel served came from one STS call, pooled or on demand; none was served twice.
                    assertThat(sts.calls().stream().map(call -> call.get("RoleSessionName").substring(2)))
                            .containsAll(channels);
                    context.completeNow();
                })));
    }

    static Future<Void> awaitPoolFull(ChannelPool pool, int size) {
        io.vertx.core.Promise<Void> full = io.vertx.core.Promise.promise();
        Vertx checker = Vertx.currentContext().owner();
        checker.setPeriodic(10, id -> {
            if (pool.readyCount() >= size) {
                checker.cancelTimer(id);
                full.tryComplete();
            }
        });
        return full.future();
    }

    @Test
    @DisplayName("when nothing listens at the STS endpoint, GET /session answers 503 with a reason and no session")
    void stsUnreachable_answers503(VertxTestContext context) throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        Map<String, String> env = env();
        env.put("TETHER_CLIENT_ROLE_ARN", ROLE);
        env.put("TETHER_SESSION_POOL_SIZE", "0");
        start(env, Optional.of(URI.create("http://127.0.0.1:" + closedPort)))
                .compose(started -> get("/session"))
                .onComplete(context.succeeding(response -> context.verify(() -> {
                    assertThat(response.statusCode()).isEqualTo(503);
                    assertThat(response.getHeader("Retry-After")).isEqualTo("1");
                    JsonObject body = response.bodyAsJsonObject();
                    assertThat(body.getString("error")).isEqualTo("session unavailable");
                    assertThat(body.getString("reason")).isEqualTo("STS could not be reached for scoped credentials");
                    assertThat(body.fieldNames()).doesNotContain("endpointUrl", "channelId");
                    context.completeNow();
                })));
    }

    @Test
    @DisplayName("when STS fails with a server error, GET /session answers 503, even with a pool configured")
    void stsServerError_answers503(VertxTestContext context) {
        sts.mode(LoopbackSts.Mode.SERVER_ERROR);
        startScoped(2)
                .compose(started -> get("/session"))
                .onComplete(context.succeeding(response -> context.verify(() -> {
                    assertThat(response.statusCode()).isEqualTo(503);
                    assertThat(response.bodyAsJsonObject().getString("reason"))
                            .isEqualTo("STS refused scoped credentials: InternalFailure (HTTP 500)");
                    context.completeNow();
                })));
    }

    @Test
    @DisplayName("when STS refuses the role, GET /session answers 503 naming STS's error code")
    void stsAccessDenied_answers503(VertxTestContext context) {
        sts.mode(LoopbackSts.Mode.ACCESS_DENIED);
        startScoped(0)
                .compose(started -> get("/session"))
                .onComplete(context.succeeding(response -> context.verify(() -> {
                    assertThat(response.statusCode()).isEqualTo(503);
                    assertThat(response.bodyAsJsonObject().getString("reason"))
                            .isEqualTo("STS refused scoped credentials: AccessDenied (HTTP 403)");
                    context.completeNow();
                })));
    }

    @Test
    @DisplayName("a configured origin gets CORS headers on GET /session")
    void corsAllowedOrigin(VertxTestContext context) {
        start(env(), Optional.empty())
                .compose(started -> client.get(running.port(), "127.0.0.1", "/session")
                        .putHeader("Origin", ORIGIN)
                        .send())
                .onComplete(context.succeeding(response -> context.verify(() -> {
                    assertThat(response.statusCode()).isEqualTo(200);
                    assertThat(response.getHeader("Access-Control-Allow-Origin")).isEqualTo(ORIGIN);
                    context.completeNow();
                })));
    }

    @Test
    @DisplayName("an origin not configured is refused with 403 and gets no session")
    void corsRefusedOrigin(VertxTestContext context) {
        start(env(), Optional.empty())
                .compose(started -> client.get(running.port(), "127.0.0.1", "/session")
                        .putHeader("Origin", "https://evil.example.net")
                        .send())
                .onComplete(context.succeeding(response -> context.verify(() -> {
                    assertThat(response.statusCode()).isEqualTo(403);
                    assertThat(response.getHeader("Access-Control-Allow-Origin")).isNull();
                    assertThat(response.bodyAsString()).doesNotContain("endpointUrl");
                    assertThat(response.bodyAsJsonObject().getString("reason"))
                            .isEqualTo("origin https://evil.example.net is not allowed; allowed: " + ORIGIN);
                    context.completeNow();
                })));
    }

    @Test
    @DisplayName("a preflight from a configured origin is answered with the allowed method")
    void corsPreflight(VertxTestContext context) {
        start(env(), Optional.empty())
                .compose(started -> client.request(HttpMethod.OPTIONS, running.port(), "127.0.0.1", "/session")
                        .putHeader("Origin", ORIGIN)
                        .putHeader("Access-Control-Request-Method", "GET")
                        .send())
                .onComplete(context.succeeding(response -> context.verify(() -> {
                    assertThat(response.statusCode()).isEqualTo(204);
                    assertThat(response.getHeader("Access-Control-Allow-Origin")).isEqualTo(ORIGIN);
                    assertThat(response.getHeader("Access-Control-Allow-Methods")).contains("GET");
                    context.completeNow();
                })));
    }

    @Test
    @DisplayName("without configured origins, a cross-origin request gets no CORS headers, so browsers refuse it")
    void corsNoOriginsConfigured(VertxTestContext context) {
        Map<String, String> env = env();
        env.remove("TETHER_ALLOWED_ORIGINS");
        start(env, Optional.empty())
                .compose(started -> client.get(running.port(), "127.0.0.1", "/session")
                        .putHeader("Origin", ORIGIN)
                        .send())
                .onComplete(context.succeeding(response -> context.verify(() -> {
                    assertThat(response.getHeader("Access-Control-Allow-Origin")).isNull();
                    context.completeNow();
                })));
    }

    @Test
    @DisplayName("an unknown path answers 404 and a wrong method 405, each with a JSON reason")
    void unknownPathAndWrongMethod(VertxTestContext context) {
        start(env(), Optional.empty())
                .compose(started -> Future.all(get("/nothing-here"),
                        client.post(running.port(), "127.0.0.1", "/session").send()))
                .onComplete(context.succeeding(all -> context.verify(() -> {
                    HttpResponse<io.vertx.core.buffer.Buffer> notFound = all.resultAt(0);
                    assertThat(notFound.statusCode()).isEqualTo(404);
                    assertThat(notFound.bodyAsJsonObject().getString("reason")).contains("/nothing-here");
                    HttpResponse<io.vertx.core.buffer.Buffer> wrongMethod = all.resultAt(1);
                    assertThat(wrongMethod.statusCode()).isEqualTo(405);
                    assertThat(wrongMethod.getHeader("Allow")).isEqualTo("GET");
                    assertThat(wrongMethod.bodyAsJsonObject().getString("reason"))
                            .isEqualTo("POST is not allowed on /session; allowed is GET");
                    context.completeNow();
                })));
    }

    @Test
    @DisplayName("health answers live and ready, and /metrics serves Prometheus text")
    void healthAndMetrics(VertxTestContext context) {
        start(env(), Optional.empty())
                .compose(started -> get("/session"))
                .compose(session -> Future.all(get("/health/live"), get("/health/ready"), get("/metrics")))
                .onComplete(context.succeeding(all -> context.verify(() -> {
                    HttpResponse<io.vertx.core.buffer.Buffer> live = all.resultAt(0);
                    HttpResponse<io.vertx.core.buffer.Buffer> ready = all.resultAt(1);
                    HttpResponse<io.vertx.core.buffer.Buffer> metrics = all.resultAt(2);
                    assertThat(live.statusCode()).isEqualTo(200);
                    assertThat(ready.statusCode()).isEqualTo(200);
                    assertThat(ready.bodyAsJsonObject().getString("status")).isEqualTo("ready");
                    assertThat(metrics.statusCode()).isEqualTo(200);
                    assertThat(metrics.bodyAsString()).contains("vertx_http_server_requests_total");
                    context.completeNow();
                })));
    }

    @Test
    @DisplayName("readiness fails with 503 while the service's own credentials cannot be resolved")
    void notReadyWithoutCredentials(VertxTestContext context) {
        SessionService.Dependencies dependencies = new SessionService.Dependencies(() -> {
            throw SdkClientException.create("no credentials in this environment");
        }, Optional.empty(), Clock.systemUTC());
        SessionMain.start(env(), dependencies, "127.0.0.1", 1)
                .onSuccess(started -> running = started)
                .compose(started -> Future.all(get("/health/ready"), get("/session")))
                .onComplete(context.succeeding(all -> context.verify(() -> {
                    HttpResponse<io.vertx.core.buffer.Buffer> ready = all.resultAt(0);
                    HttpResponse<io.vertx.core.buffer.Buffer> session = all.resultAt(1);
                    assertThat(ready.statusCode()).isEqualTo(503);
                    assertThat(ready.bodyAsJsonObject().getString("error")).isEqualTo("not ready");
                    assertThat(session.statusCode()).isEqualTo(503);
                    context.completeNow();
                })));
    }

    @Test
    @DisplayName("stopping lets a request in flight finish before the service closes")
    void stopWaitsForRequestsInFlight(Vertx vertx, VertxTestContext context) throws Exception {
        sts.mode(LoopbackSts.Mode.HOLD);
        SessionMain.Running stopping = startScoped(0).await(10, java.util.concurrent.TimeUnit.SECONDS);
        running = null;
        // Made outside any Vert.x context: the service's own Vert.x is closed by the time these complete.
        io.vertx.core.Promise<Void> stopped = io.vertx.core.Promise.promise();
        Future<HttpResponse<io.vertx.core.buffer.Buffer>> inFlight = client.get(stopping.port(), "127.0.0.1",
                "/session")
                .send();

        sts.held()
                .compose(held -> {
                    // Stopping blocks until the request is answered, as the shutdown hook's thread does.
                    new Thread(() -> {
                        stopping.stop();
                        stopped.complete();
                    }, "test-sigterm").start();
                    releaseOnceRefusingConnections(vertx, stopping.port());
                    return Future.all(inFlight, stopped.future());
                })
                .onComplete(context.succeeding(both -> context.verify(() -> {
                    assertThat(inFlight.result().statusCode()).isEqualTo(200);
                    assertThat(inFlight.result().bodyAsJsonObject().getString("channelId")).isNotEmpty();
                    context.completeNow();
                })));
    }

    /** Answers the held STS call once the service no longer accepts connections, so the request is in flight. */
    private void releaseOnceRefusingConnections(Vertx vertx, int port) {
        WebClient fresh = WebClient.create(vertx, new WebClientOptions().setKeepAlive(false));
        vertx.setPeriodic(20, id -> fresh.get(port, "127.0.0.1", "/health/live")
                .send()
                .onFailure(refused -> {
                    if (vertx.cancelTimer(id)) {
                        sts.release();
                    }
                }));
    }

    @Test
    @DisplayName("a bad configuration fails at start with a message naming each variable, its value and what is "
            + "allowed, and opens no port")
    void badConfiguration_failsAtStart() {
        Map<String, String> env = env();
        env.put("TETHER_CHANNEL_SECRET", "tiny-secret");
        env.put("TETHER_HTTP_PORT", "80000");
        SessionService.Dependencies dependencies = new SessionService.Dependencies(
                StaticCredentialsProvider.create(LoopbackSts.SERVICE_CREDENTIALS), Optional.empty(),
                Clock.systemUTC());

        assertThatThrownBy(() -> SessionMain.start(env, dependencies, "127.0.0.1", 1))
                .isInstanceOf(ConfigInvalid.class)
                .hasMessageContaining("TETHER_CHANNEL_SECRET")
                .hasMessageContaining("at least 32 bytes")
                .hasMessageNotContaining("tiny-secret")
                .hasMessageContaining("TETHER_HTTP_PORT: value '80000' is out of range; allowed is a whole number "
                        + "from 0 to 65535");
    }

    @Test
    @DisplayName("a bad pool size fails at start, naming the variable and the allowed range")
    void badPoolSize_failsAtStart() {
        Map<String, String> env = env();
        env.put("TETHER_SESSION_POOL_SIZE", "lots");
        SessionService.Dependencies dependencies = SessionService.Dependencies.defaults();

        assertThatThrownBy(() -> SessionMain.start(env, dependencies, "127.0.0.1", 1))
                .isInstanceOf(ConfigInvalid.class)
                .hasMessageContaining("TETHER_SESSION_POOL_SIZE: value 'lots' is not allowed; allowed is a whole "
                        + "number from 0 to 100000");
    }

}
