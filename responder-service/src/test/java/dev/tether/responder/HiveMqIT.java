package dev.tether.responder;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tether.channel.ChannelId;
import dev.tether.channel.ChannelIds;
import dev.tether.client.TetherClient;
import dev.tether.client.TetherSession;
import dev.tether.mqtt.HiveMqBroker;
import dev.tether.mqtt.MqttClientOptions;
import dev.tether.mqtt.MqttWebSocketClient;
import dev.tether.wire.EndReason;
import dev.tether.wire.SessionGrant;
import dev.tether.wire.SessionMessage;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The responder on a plain MQTT broker, HiveMQ CE embedded, which checks no signature and sends no presence events:
 * the verticle needs nothing of AWS IoT Core but MQTT 3.1.1 over WebSocket with retained messages.
 */
@ExtendWith(VertxExtension.class)
class HiveMqIT {
    private static final ResponderSettings SETTINGS = ResponderSettings.defaults()
            .withIdleTimeout(Duration.ofSeconds(1))
            .withClaimWindow(Duration.ofMillis(150));

    private static HiveMqBroker broker;

    private final ChannelIds channelIds = new ChannelIds(Stage.SECRET, Clock.systemUTC(), new SecureRandom());

    @BeforeAll
    static void startBroker() {
        broker = HiveMqBroker.start();
    }

    @AfterAll
    static void stopBroker() {
        broker.close();
    }

    @Test
    @DisplayName("On HiveMQ CE, the Java client gets ready, its answers matched by id, then end: idle")
    void fullSession(Vertx vertx) throws Exception {
        ResponderService service = new ResponderService(vertx, SETTINGS, channelIds,
                () -> Future.succeededFuture(broker.url()), PongHandler::new, Clock.systemUTC());
        BlockingQueue<Future<SessionSummary>> sessions = new LinkedBlockingQueue<>();
        MqttWebSocketClient sessionListener = listenForSessions(vertx, service, sessions);
        Promise<EndReason> ended = Promise.promise();

        TetherSession session = await(TetherClient.open(vertx, sessionServiceUrl(vertx)));
        session.endHandler(ended::tryComplete);
        List<Future<JsonObject>> answers = new ArrayList<>();
        for (int i = 1; i <= 3; i++) {
            answers.add(session.request(new JsonObject().put("id", i).put("message", "PING")));
        }

        for (int i = 0; i < 3; i++) {
            assertThat(await(answers.get(i)))
                    .isEqualTo(new JsonObject().put("message", "PONG").put("inReplyTo", i + 1));
        }
        assertThat(await(ended.future())).isEqualTo(EndReason.IDLE);
        SessionSummary summary = await(sessions.poll(Stage.EXPECTED.toMillis(), TimeUnit.MILLISECONDS));
        assertThat(summary.requests()).isEqualTo(3);
        assertThat(summary.channelId()).isEqualTo(session.channelId());
        await(sessionListener.disconnect());
    }

    @Test
    @DisplayName("On HiveMQ CE, two services given the same session message at once start one responder")
    void duplicateSessionMessage(Vertx vertx) throws Exception {
        ChannelId channel = channelIds.issue(Duration.ofMinutes(5));
        ResponderService one = new ResponderService(vertx, SETTINGS, channelIds,
                () -> Future.succeededFuture(broker.url()), PongHandler::new, Clock.systemUTC());
        ResponderService two = new ResponderService(vertx, SETTINGS, channelIds,
                () -> Future.succeededFuture(broker.url()), PongHandler::new, Clock.systemUTC());

        Future<SessionSummary> first = one.serve(new SessionMessage(channel.value()), Optional.empty());
        Future<SessionSummary> second = two.serve(new SessionMessage(channel.value()), Optional.empty());

        List<String> outcomes = new ArrayList<>();
        for (Future<SessionSummary> outcome : List.of(first, second)) {
            Future<String> named = outcome.map(summary -> summary.reason().wireName())
                    .recover(failure -> Future.succeededFuture(failure.getClass().getSimpleName()));
            outcomes.add(await(named));
        }
        assertThat(outcomes).containsExactlyInAnyOrder("idle", "ChannelAlreadyServed");
    }

    private MqttWebSocketClient listenForSessions(Vertx vertx, ResponderService service,
            BlockingQueue<Future<SessionSummary>> sessions) throws Exception {
        MqttWebSocketClient listener = MqttWebSocketClient.create(vertx, MqttClientOptions.of("session-listener"))
                .messageHandler(message -> sessions.add(service.serve(SessionMessage.decode(message.payload()),
                        Optional.empty())));
        await(listener.connect(broker.url())
                .compose(present -> listener.subscribe("tether/session", 1)));
        return listener;
    }

    private String sessionServiceUrl(Vertx vertx) throws Exception {
        int port = await(vertx.createHttpServer()
                .requestHandler(request -> {
                    ChannelId channel = channelIds.issue(Duration.ofMinutes(5));
                    SessionGrant grant = new SessionGrant(broker.url(), channel.value(),
                            Optional.of(ResponderVerticle.CLIENT_ID_PREFIX + channel.value()), Optional.empty(),
                            Optional.empty());
                    request.response()
                            .putHeader("content-type", "application/json")
                            .end(grant.encode());
                })
                .listen(0, "127.0.0.1"))
                .actualPort();
        return "http://127.0.0.1:" + port + "/session";
    }

    private static <T> T await(Future<T> future) throws Exception {
        return future.toCompletionStage()
                .toCompletableFuture()
                .get(Stage.EXPECTED.toMillis(), TimeUnit.MILLISECONDS);
    }
}
