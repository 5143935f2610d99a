package dev.tether.responder;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tether.client.TetherClient;
import dev.tether.client.TetherSession;
import dev.tether.mqtt.ReconnectPolicy;
import dev.tether.wire.EndReason;
import dev.tether.wire.Request;
import dev.tether.wire.RequestId;
import dev.tether.wire.SessionMessage;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The responder's connection to the broker is cut in the middle of a stream of requests. */
@ExtendWith(VertxExtension.class)
class ConnectionCutIT {
    private static final int REQUESTS = 40;
    private static final ResponderSettings SETTINGS = ResponderSettings.defaults()
            .withIdleTimeout(Duration.ofSeconds(20))
            .withClaimWindow(Duration.ofMillis(100))
            .withReconnect(new ReconnectPolicy(Duration.ofMillis(100), Duration.ofMillis(400), 2.0, 0.5, 100));

    private Stage stage;
    private CuttableProxy proxy;

    @AfterEach
    void closeStage() {
        if (proxy != null) {
            proxy.close();
        }
        if (stage != null) {
            stage.close();
        }
    }

    @Test
    @DisplayName("Cut mid-stream and held down: every request is handled once and answered, none lost")
    void cutMidStream_losesNoRequest_andHandlesNoneTwice(Vertx vertx) throws Exception {
        stage = new Stage(vertx, SETTINGS, PongHandler::new);
        proxy = CuttableProxy.start(vertx, stage.standIns.aws().brokerPort());
        List<RequestId> handled = new CopyOnWriteArrayList<>();
        ResponderService service = stage.serviceVia(proxy.port(), SETTINGS, () -> new SlowEcho(handled));

        try (Stage.ChannelClient client = stage.client()) {
            Future<SessionSummary> session = service.serve(new SessionMessage(client.channelId()), Optional.empty());
            assertThat(client.next()).isEqualTo("{\"type\":\"ready\"}");

            for (int i = 1; i <= REQUESTS / 2; i++) {
                client.request("{\"id\":" + i + "}");
            }
            // Answers to the first half are still being made (the handler takes 30 ms each) when the line goes.
            proxy.cutAndHold();
            for (int i = REQUESTS / 2 + 1; i <= REQUESTS; i++) {
                client.request("{\"id\":" + i + "}");
            }
            proxy.release();

            Map<Integer, List<String>> answers = new HashMap<>();
            List<String> others = new ArrayList<>();
            while (answers.size() < REQUESTS) {
                JsonObject message = new JsonObject(client.next());
                if (message.containsKey("inReplyTo")) {
                    answers.computeIfAbsent(message.getInteger("inReplyTo"), id -> new ArrayList<>())
                            .add(message.encode());
                } else {
                    others.add(message.encode());
                }
            }

            assertThat(answers).containsOnlyKeys(IntStream.rangeClosed(1, REQUESTS).boxed().toList());
            // QoS 1 is at least once: an answer whose PUBACK the cut swallowed is sent again, the same message.
            answers.values().forEach(copies -> assertThat(copies).containsOnly(copies.get(0)));
            assertThat(handled).hasSize(REQUESTS).doesNotHaveDuplicates();
            // MQTT 3.1.1 has no will delay: the broker tells the client at once, and ready says it is back.
            assertThat(others).contains("{\"type\":\"end\",\"reason\":\"responder-lost\"}",
                    "{\"type\":\"ready\"}");
            assertThat(proxy.connections()).isGreaterThanOrEqualTo(2);
            assertThat(stage.urlsPresigned.get()).isGreaterThanOrEqualTo(2);

            assertThat(service.shutdown().toCompletionStage().toCompletableFuture()
                    .get(Stage.EXPECTED.toMillis(), TimeUnit.MILLISECONDS)).isNull();
            SessionSummary summary = session.toCompletionStage().toCompletableFuture()
                    .get(Stage.EXPECTED.toMillis(), TimeUnit.MILLISECONDS);
            assertThat(summary.reason()).isEqualTo(EndReason.SHUTDOWN);
            assertThat(summary.requests()).isEqualTo(REQUESTS);
        }
    }

    @Test
    @DisplayName("Through the Java client: the cut's end: responder-lost does not end the session; every request is"
            + " answered")
    void cutMidStream_javaClientKeepsSession(Vertx vertx) throws Exception {
        stage = new Stage(vertx, SETTINGS, PongHandler::new);
        proxy = CuttableProxy.start(vertx, stage.standIns.aws().brokerPort());
        List<RequestId> handled = new CopyOnWriteArrayList<>();
        stage.routeSessionsTo(stage.serviceVia(proxy.port(), SETTINGS, () -> new SlowEcho(handled)));
        TetherSession session = TetherClient.open(vertx, stage.sessionServiceUrl())
                .toCompletionStage().toCompletableFuture().get(Stage.EXPECTED.toMillis(), TimeUnit.MILLISECONDS);
        Promise<EndReason> ended = Promise.promise();
        session.endHandler(ended::tryComplete);

        List<Future<JsonObject>> answers = new ArrayList<>();
        for (int i = 1; i <= REQUESTS / 2; i++) {
            answers.add(session.request(new JsonObject().put("id", i)));
        }
        proxy.cutAndHold();
        for (int i = REQUESTS / 2 + 1; i <= REQUESTS; i++) {
            answers.add(session.request(new JsonObject().put("id", i)));
        }
        proxy.release();

        List<JsonObject> answered = Future.all(answers)
                .toCompletionStage().toCompletableFuture().get(Stage.EXPECTED.toMillis(), TimeUnit.MILLISECONDS)
                .list();
        assertThat(answered).extracting(answer -> answer.getInteger("inReplyTo"))
                .containsExactlyElementsOf(IntStream.rangeClosed(1, REQUESTS).boxed().toList());
        assertThat(handled).hasSize(REQUESTS).doesNotHaveDuplicates();
        assertThat(proxy.connections()).isGreaterThanOrEqualTo(2);
        assertThat(ended.future().isComplete()).isFalse();
        session.close();
    }

    /** Echoes each request 30 ms later, and records which requests it was given. */
    private static final class SlowEcho implements SessionHandler {
        private final List<RequestId> handled;

        SlowEcho(List<RequestId> handled) {
            this.handled = handled;
        }

        @Override
        public Future<Void> onRequest(SessionContext session, Request request, Replies replies) {
            request.id().ifPresent(handled::add);
            Promise<Void> sent = Promise.promise();
            session.vertx().setTimer(30, fired -> replies.answer(request.fields()).onComplete(sent));
            return sent.future();
        }
    }
}
