package dev.tether.responder;

import dev.tether.channel.ChannelId;
import dev.tether.channel.ChannelIds;
import dev.tether.channel.ChannelSecret;
import dev.tether.credentials.CachedCredentials;
import dev.tether.local.TestStandIns;
import dev.tether.sigv4.MqttUrlPresigner;
import dev.tether.wire.SessionGrant;
import dev.tether.wire.SessionMessage;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

/**
 * The IoT stand-in with a topic rule that hands session messages to a responder service, a minimal session service
 * for the Java client, and Paho clients acting as the channel's client. Blocking helpers: call from the test thread.
 */
final class Stage implements AutoCloseable {
    static final ChannelSecret SECRET = ChannelSecret.fromUtf8("a channel secret of at least thirty-two bytes");
    static final Duration EXPECTED = TestStandIns.EXPECTED;
    static final Duration ABSENT = TestStandIns.ABSENT;

    final Vertx vertx;
    final TestStandIns standIns;
    final ChannelIds channelIds = new ChannelIds(SECRET, Clock.systemUTC(), new SecureRandom());
    final AtomicInteger urlsPresigned = new AtomicInteger();
    final BlockingQueue<Future<SessionSummary>> sessions = new LinkedBlockingQueue<>();
    final ResponderService service;
    private final CachedCredentials credentials;
    private HttpServer sessionServer;

    Stage(Vertx vertx, ResponderSettings settings, Supplier<SessionHandler> handlers) throws Exception {
        this.vertx = vertx;
        this.standIns = TestStandIns.start(vertx);
        this.credentials = new CachedCredentials(vertx, StaticCredentialsProvider.create(AwsBasicCredentials.create(
                TestStandIns.FULL.accessKeyId(), TestStandIns.FULL.secretAccessKey())), Clock.systemUTC(),
                CachedCredentials.Timing.defaults());
        this.service = service(settings, handlers);
        routeSessionsTo(service);
    }

    /** Makes the topic rule hand each session message to {@code target}, in place of the stage's own service. */
    void routeSessionsTo(ResponderService target) {
        standIns.aws().rules().remove("responder");
        standIns.aws().rules().add("responder", "SELECT * FROM 'tether/session'", (topic, payload) -> {
            sessions.add(target.serve(SessionMessage.decode(payload.toBuffer()), Optional.empty()));
            return Future.succeededFuture();
        });
    }

    /** Another responder service on the same broker, as another process would run it. */
    ResponderService service(ResponderSettings settings, Supplier<SessionHandler> handlers) {
        return service(settings, handlers, standIns.presigner(Clock.systemUTC(), "us-east-1"));
    }

    /** A responder service reaching the broker through a proxy on this loopback port. */
    ResponderService serviceVia(int port, ResponderSettings settings, Supplier<SessionHandler> handlers) {
        return service(settings, handlers, MqttUrlPresigner.builder()
                .scheme("ws")
                .host("127.0.0.1:" + port)
                .region("us-east-1")
                .build());
    }

    private ResponderService service(ResponderSettings settings, Supplier<SessionHandler> handlers,
            MqttUrlPresigner presigner) {
        Supplier<Future<String>> fresh = PresignedUrls.fresh(credentials, presigner);
        return new ResponderService(vertx, settings, channelIds, () -> {
            urlsPresigned.incrementAndGet();
            return fresh.get();
        }, handlers, Clock.systemUTC());
    }

    /** A session service answering {@code GET /session} with a fresh channel and a URL signed by the full key. */
    String sessionServiceUrl() throws Exception {
        sessionServer = vertx.createHttpServer()
                .requestHandler(request -> {
                    ChannelId channel = channelIds.issue(Duration.ofMinutes(5));
                    SessionGrant grant = new SessionGrant(standIns.url(TestStandIns.FULL), channel.value(),
                            Optional.of(ResponderVerticle.CLIENT_ID_PREFIX + channel.value()), Optional.empty(),
                            Optional.empty());
                    request.response()
                            .putHeader("content-type", "application/json")
                            .end(grant.encode());
                });
        int port = sessionServer.listen(0, "127.0.0.1")
                .await(EXPECTED.toSeconds(), TimeUnit.SECONDS)
                .actualPort();
        return "http://127.0.0.1:" + port + "/session";
    }

    /** A client on a new channel, connected as the session service's client id, subscribed to its responses. */
    ChannelClient client() throws Exception {
        return client(channelIds.issue(Duration.ofMinutes(5)).value());
    }

    /** A client on this channel id, connected and subscribed to its responses. */
    ChannelClient client(String channelId) throws Exception {
        TestStandIns.Client paho = standIns.connect(ResponderVerticle.CLIENT_ID_PREFIX + channelId,
                standIns.url(TestStandIns.FULL));
        paho.subscribe("tether/" + channelId + "/response");
        return new ChannelClient(channelId, paho);
    }

    /** The next session the rule started, waiting up to {@link #EXPECTED}. */
    Future<SessionSummary> nextSession() throws InterruptedException {
        Future<SessionSummary> next = sessions.poll(EXPECTED.toMillis(), TimeUnit.MILLISECONDS);
        if (next == null) {
            throw new AssertionError("no session message reached the responder within " + EXPECTED);
        }
        return next;
    }

    @Override
    public void close() {
        credentials.close();
    }

    /** A channel's client: publishes the session message and requests, reads the responses. */
    record ChannelClient(String channelId, TestStandIns.Client paho) implements AutoCloseable {
        void startSession() throws Exception {
            paho.publish("tether/session", "{\"channelId\":\"" + channelId + "\"}", 1);
        }

        void request(String json) throws Exception {
            paho.publish("tether/" + channelId + "/request", json, 1);
        }

        String next() throws InterruptedException {
            return paho.next().payload();
        }

        Optional<String> nextWithin(Duration wait) throws InterruptedException {
            return paho.nextWithin(wait).map(TestStandIns.Received::payload);
        }

        @Override
        public void close() {
            paho.close();
        }
    }
}
