package dev.tether.client;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tether.mqtt.ConnectionLost;
import dev.tether.mqtt.HiveMqBroker;
import dev.tether.mqtt.MqttLimitExceeded;
import dev.tether.mqtt.ReconnectPolicy;
import dev.tether.wire.EndReason;
import dev.tether.wire.WireFormatInvalid;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The Java client end to end: a session service on loopback, HiveMQ CE as the broker, and a responder played by
 * Eclipse Paho that knows only the wire protocol.
 */
@ExtendWith(VertxExtension.class)
class TetherClientIT {
    private static HiveMqBroker broker;
    private static PahoResponder responder;
    private FakeSessionService service;

    @BeforeAll
    static void startBrokerAndResponder() throws Exception {
        broker = HiveMqBroker.start();
        responder = PahoResponder.start(broker.url(), "tether", "legacy");
    }

    @AfterAll
    static void stopBrokerAndResponder() throws Exception {
        responder.close();
        broker.close();
    }

    @BeforeEach
    void startService(Vertx vertx) throws Exception {
        service = await(FakeSessionService.start(vertx, broker.url()));
    }

    @AfterEach
    void stopService() throws Exception {
        await(service.close());
    }

    @Test
    @DisplayName("Twenty requests in flight each get their own answer, matched by the id the client gave them")
    void requestsGetTheirOwnAnswers(Vertx vertx) throws Exception {
        TetherSession session = await(TetherClient.open(vertx, service.url()));

        List<Future<JsonObject>> answers = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            answers.add(session.request(new JsonObject().put("message", "PING " + i)));
        }
        await(Future.all(answers));

        for (int i = 0; i < 20; i++) {
            assertThat(answers.get(i).result().getString("echo")).isEqualTo("PING " + i);
            assertThat(answers.get(i).result().getValue("inReplyTo")).isNotNull();
        }
        assertThat(session.channelId()).isEqualTo("chan1");
        assertThat(responder.channels).contains("chan1");
        await(session.close());
    }

    @Test
    @DisplayName("A request's own numeric id comes back as inReplyTo")
    void ownIdComesBack(Vertx vertx) throws Exception {
        TetherSession session = await(TetherClient.open(vertx, service.url()));

        JsonObject answer = await(session.request(new JsonObject().put("id", 42).put("message", "mine")));

        assertThat(answer.getInteger("inReplyTo")).isEqualTo(42);
        assertThat(answer.getString("echo")).isEqualTo("mine");
        await(session.close());
    }

    @Test
    @DisplayName("Bad requests fail their future, naming the problem: a reused waiting id, a bad id type, 128 KB+")
    void badRequestsAreRefused(Vertx vertx) throws Exception {
        TetherSession session = await(TetherClient.open(vertx, service.url()));
        session.request(new JsonObject().put("id", "same").put("silent", true));

        assertThat(awaitFailure(session.request(new JsonObject().put("id", "same").put("message", "again"))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("already waiting");
        assertThat(awaitFailure(session.request(new JsonObject().put("id", true))))
                .isInstanceOf(WireFormatInvalid.class)
                .hasMessageContaining("\"id\" must be a string or a number");
        assertThat(awaitFailure(session.request(new JsonObject().put("message", "x".repeat(128 * 1024)))))
                .isInstanceOf(MqttLimitExceeded.class);
        await(session.close());
    }

    @Test
    @DisplayName("An error from the responder fails the request with its text")
    void errorReplyFailsRequest(Vertx vertx) throws Exception {
        TetherSession session = await(TetherClient.open(vertx, service.url()));

        Throwable failure = awaitFailure(session.request(new JsonObject().put("fail", "divide by zero")));

        assertThat(failure).isInstanceOf(RequestFailed.class);
        assertThat(((RequestFailed) failure).error()).isEqualTo("cannot divide by zero");
        await(session.close());
    }

    @Test
    @DisplayName("The responder's end runs the end handler, fails what waits and refuses new requests")
    void endClosesSession(Vertx vertx) throws Exception {
        TetherSession session = await(TetherClient.open(vertx, service.url()));
        Promise<EndReason> ended = Promise.promise();
        session.endHandler(ended::tryComplete);
        Future<JsonObject> waiting = session.request(new JsonObject().put("silent", true));

        session.request(new JsonObject().put("end", true));

        assertThat(await(ended.future())).isEqualTo(EndReason.SHUTDOWN);
        Throwable failure = awaitFailure(waiting);
        assertThat(failure).isInstanceOf(SessionEnded.class);
        assertThat(((SessionEnded) failure).reason()).contains(EndReason.SHUTDOWN);
        assertThat(awaitFailure(session.request(new JsonObject().put("message", "late"))))
                .isInstanceOf(SessionEnded.class);
    }

    @Test
    @DisplayName("A responder lost and back (its will, then ready): the session goes on and what waited is answered")
    void responderLostAndBack_sessionGoesOn(Vertx vertx) throws Exception {
        TetherSession session = await(TetherClient.open(vertx, service.url()));
        Promise<EndReason> ended = Promise.promise();
        session.endHandler(ended::tryComplete);

        JsonObject answer = await(session.request(new JsonObject().put("lost", "back").put("message", "waited")));
        JsonObject after = await(session.request(new JsonObject().put("message", "after")));

        assertThat(answer.getString("echo")).isEqualTo("waited");
        assertThat(after.getString("echo")).isEqualTo("after");
        assertThat(ended.future().isComplete()).isFalse();
        await(session.close());
    }

    @Test
    @DisplayName("A responder lost and not back within the ready timeout: end: responder-lost, what waited fails")
    void responderLostForGood_endsAfterReadyTimeout(Vertx vertx) throws Exception {
        Duration readyTimeout = Duration.ofMillis(800);
        TetherSession session = await(TetherClient.open(vertx, TetherClientOptions.of(service.url())
                .withTimeouts(readyTimeout, Duration.ofSeconds(10))));
        Promise<EndReason> ended = Promise.promise();
        session.endHandler(ended::tryComplete);
        long asked = System.nanoTime();

        Future<JsonObject> waiting = session.request(new JsonObject().put("lost", "gone"));

        assertThat(await(ended.future())).isEqualTo(EndReason.RESPONDER_LOST);
        assertThat(Duration.ofNanos(System.nanoTime() - asked)).isGreaterThanOrEqualTo(readyTimeout);
        Throwable failure = awaitFailure(waiting);
        assertThat(failure).isInstanceOf(SessionEnded.class);
        assertThat(((SessionEnded) failure).reason()).contains(EndReason.RESPONDER_LOST);
    }

    @Test
    @DisplayName("A service of the original pattern (endpointUrl and channelId only) works with topics from the prefix")
    void legacyServiceUsesPrefix(Vertx vertx) throws Exception {
        service.legacy = true;
        TetherSession session = await(TetherClient.open(vertx, TetherClientOptions.of(service.url())
                .withTopicPrefix("legacy")));

        JsonObject answer = await(session.request(new JsonObject().put("message", "old")));

        assertThat(answer.getString("echo")).isEqualTo("old");
        await(session.close());
    }

    @Test
    @DisplayName("A session service answering 503 fails open, naming the status and not the query")
    void serviceErrorFailsOpen(Vertx vertx) throws Exception {
        service.status = 503;

        Throwable failure = awaitFailure(TetherClient.open(vertx, service.url() + "?token=secret"));

        assertThat(failure).isInstanceOf(SessionServiceFailed.class)
                .hasMessageContaining("503")
                .hasMessageNotContaining("secret");
    }

    @Test
    @DisplayName("Without a responder, open fails with ResponderNotReady after the ready timeout")
    void noResponderFailsOpen(Vertx vertx) throws Exception {
        service.legacy = true;

        Throwable failure = awaitFailure(TetherClient.open(vertx, TetherClientOptions.of(service.url())
                .withTopicPrefix("nobody")
                .withTimeouts(Duration.ofMillis(500), Duration.ofSeconds(5))));

        assertThat(failure).isInstanceOf(ResponderNotReady.class).hasMessageContaining("nobody/session");
    }

    @Test
    @DisplayName("A request without an answer fails with RequestTimedOut after the request timeout")
    void unansweredRequestTimesOut(Vertx vertx) throws Exception {
        TetherSession session = await(TetherClient.open(vertx, TetherClientOptions.of(service.url())
                .withTimeouts(Duration.ofSeconds(5), Duration.ofMillis(300))));

        Throwable failure = awaitFailure(session.request(new JsonObject().put("silent", true)));

        assertThat(failure).isInstanceOf(RequestTimedOut.class);
        await(session.close());
    }

    @Test
    @DisplayName("After the connection is taken over, the session goes on in a fresh session from the service")
    void lostConnectionGoesOnInFreshSession(Vertx vertx) throws Exception {
        Promise<String> reconnected = Promise.promise();
        List<Throwable> reported = new ArrayList<>();
        TetherSession session = await(TetherClient.open(vertx, TetherClientOptions.of(service.url())
                .withReconnect(new ReconnectPolicy(Duration.ofMillis(50), Duration.ofMillis(200), 2.0, 0.5, 20))));
        session.reconnectHandler(reconnected::tryComplete)
                .exceptionHandler(reported::add);
        String firstChannel = session.channelId();

        // AWS IoT Core, like HiveMQ, disconnects a client when another connects with the same client id.
        MqttClient usurper = new MqttClient(broker.url(), "client-" + service.grants.get(), new MemoryPersistence());
        usurper.connect(new MqttConnectOptions());

        String secondChannel = await(reconnected.future());
        JsonObject answer = await(session.request(new JsonObject().put("message", "still here")));

        assertThat(secondChannel).isNotEqualTo(firstChannel);
        assertThat(session.channelId()).isEqualTo(secondChannel);
        assertThat(answer.getString("echo")).isEqualTo("still here");
        assertThat(reported).first().isInstanceOf(ConnectionLost.class);
        usurper.disconnect();
        usurper.close();
        await(session.close());
    }

    static <T> T await(Future<T> future) throws Exception {
        return future.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    static Throwable awaitFailure(Future<?> future) throws Exception {
        try {
            await(future);
        } catch (ExecutionException e) {
            return e.getCause();
        }
        throw new AssertionError("expected the future to fail, it succeeded with " + Optional.ofNullable(
                future.result()));
    }
}
