package dev.tether.responder;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tether.channel.ChannelIdInvalid;
import dev.tether.channel.ChannelIds;
import dev.tether.client.TetherClient;
import dev.tether.client.TetherSession;
import dev.tether.wire.EndReason;
import dev.tether.wire.SessionMessage;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The responder on the local IoT stand-in, with Paho or the Java client as the channel's client. */
@ExtendWith(VertxExtension.class)
class ResponderIT {
    private static final ResponderSettings FAST = ResponderSettings.defaults()
            .withIdleTimeout(Duration.ofSeconds(2))
            .withClaimWindow(Duration.ofMillis(150));

    private Stage stage;

    @AfterEach
    void closeStage() {
        if (stage != null) {
            stage.close();
        }
    }

    @Test
    @DisplayName("A full session through the Java client: ready, PONG answers matched by id, then the idle end")
    void fullSession(Vertx vertx) throws Exception {
        stage = new Stage(vertx, FAST, PongHandler::new);
        String url = stage.sessionServiceUrl();

        TetherSession session = await(TetherClient.open(vertx, url));
        List<Future<JsonObject>> answers = new ArrayList<>();
        for (int i = 1; i <= 3; i++) {
            answers.add(session.request(new JsonObject().put("id", i).put("message", "PING")));
        }
        for (int i = 0; i < 3; i++) {
            JsonObject answer = await(answers.get(i));
            assertThat(answer.getString("message")).isEqualTo("PONG");
            assertThat(answer.getInteger("inReplyTo")).isEqualTo(i + 1);
        }
        SessionSummary summary = await(stage.nextSession());

        assertThat(summary.reason()).isEqualTo(EndReason.IDLE);
        assertThat(summary.requests()).isEqualTo(3);
        assertThat(summary.channelId()).isEqualTo(session.channelId());
    }

    @Test
    @DisplayName("Answers come in the order of the requests, each once, and end: idle comes last")
    void answersInOrderThenIdleEnd(Vertx vertx) throws Exception {
        stage = new Stage(vertx, FAST, EchoHandler::new);
        try (Stage.ChannelClient client = stage.client()) {
            client.startSession();
            assertThat(client.next()).isEqualTo("{\"type\":\"ready\"}");

            for (int i = 1; i <= 5; i++) {
                client.request("{\"id\":" + i + ",\"n\":" + i + "}");
            }
            for (int i = 1; i <= 5; i++) {
                assertThat(new JsonObject(client.next())).isEqualTo(new JsonObject().put("n", i).put("inReplyTo", i));
            }
            assertThat(new JsonObject(client.next()).getString("reason")).isEqualTo("idle");
        }
        assertThat(await(stage.nextSession()).requests()).isEqualTo(5);
    }

    @Test
    @DisplayName("The deadline ends a session that is still busy, with end: deadline")
    void deadlineEnd(Vertx vertx) throws Exception {
        stage = new Stage(vertx, FAST.withIdleTimeout(Duration.ofSeconds(60)), PongHandler::new);
        try (Stage.ChannelClient client = stage.client()) {
            Future<SessionSummary> session = stage.service.serve(new SessionMessage(client.channelId()),
                    Optional.of(Instant.now().plusMillis(1500)));
            assertThat(client.next()).isEqualTo("{\"type\":\"ready\"}");
            client.request("{\"id\":\"a\"}");
            assertThat(client.next()).isEqualTo("{\"message\":\"PONG\",\"inReplyTo\":\"a\"}");

            assertThat(client.next()).isEqualTo("{\"type\":\"end\",\"reason\":\"deadline\"}");
            assertThat(await(session).reason()).isEqualTo(EndReason.DEADLINE);
        }
    }

    @Test
    @DisplayName("The client's disconnect, told by its presence event, ends the session with client-gone")
    void clientDisconnectEnd(Vertx vertx) throws Exception {
        stage = new Stage(vertx, FAST.withIdleTimeout(Duration.ofSeconds(60)), PongHandler::new);
        Stage.ChannelClient client = stage.client();
        client.startSession();
        assertThat(client.next()).isEqualTo("{\"type\":\"ready\"}");

        client.close();

        SessionSummary summary = await(stage.nextSession());
        assertThat(summary.reason()).isEqualTo(EndReason.CLIENT_GONE);
    }

    @Test
    @DisplayName("A forged channel id is refused before any connection is made")
    void forgedChannelIdRefused(Vertx vertx) throws Exception {
        stage = new Stage(vertx, FAST, PongHandler::new);
        ChannelIds otherSecret = new ChannelIds(dev.tether.channel.ChannelSecret.fromUtf8(
                "another secret that is also thirty-two bytes"), Clock.systemUTC(), new SecureRandom());
        String forged = otherSecret.issue(Duration.ofMinutes(5)).value();

        Future<SessionSummary> session = stage.service.serve(new SessionMessage(forged), Optional.empty());

        assertThatThrownBy(() -> await(session))
                .hasCauseInstanceOf(ChannelIdInvalid.class)
                .cause()
                .satisfies(failure -> assertThat(((ChannelIdInvalid) failure).reason())
                        .isEqualTo(ChannelIdInvalid.Reason.FORGED));
        assertThat(stage.urlsPresigned).hasValue(0);
        assertThat(stage.service.activeSessions()).isZero();
    }

    @Test
    @DisplayName("An expired channel id is refused before any connection is made")
    void expiredChannelIdRefused(Vertx vertx) throws Exception {
        stage = new Stage(vertx, FAST, PongHandler::new);
        Clock lastWeek = Clock.offset(Clock.systemUTC(), Duration.ofDays(-7));
        String expired = new ChannelIds(Stage.SECRET, lastWeek, new SecureRandom())
                .issue(Duration.ofMinutes(5))
                .value();

        Future<SessionSummary> session = stage.service.serve(new SessionMessage(expired), Optional.empty());

        assertThatThrownBy(() -> await(session))
                .hasCauseInstanceOf(ChannelIdInvalid.class)
                .cause()
                .satisfies(failure -> assertThat(((ChannelIdInvalid) failure).reason())
                        .isEqualTo(ChannelIdInvalid.Reason.EXPIRED));
        assertThat(stage.urlsPresigned).hasValue(0);
    }

    @Test
    @DisplayName("The same session message three times, twice to other processes at once: one ready, one answer")
    void duplicateSessionMessagesStartOneResponder(Vertx vertx) throws Exception {
        stage = new Stage(vertx, FAST, PongHandler::new);
        ResponderService otherProcess = stage.service(FAST, PongHandler::new);
        ResponderService thirdProcess = stage.service(FAST, PongHandler::new);
        try (Stage.ChannelClient client = stage.client()) {
            SessionMessage message = new SessionMessage(client.channelId());
            client.startSession();
            client.startSession();
            Future<SessionSummary> second = otherProcess.serve(message, Optional.empty());
            Future<SessionSummary> third = thirdProcess.serve(message, Optional.empty());

            assertThat(client.next()).isEqualTo("{\"type\":\"ready\"}");
            client.request("{\"id\":1}");
            assertThat(client.next()).isEqualTo("{\"message\":\"PONG\",\"inReplyTo\":1}");
            assertThat(client.nextWithin(Stage.ABSENT)).isEmpty();

            List<Future<SessionSummary>> all = List.of(stage.nextSession(), stage.nextSession(), second, third);
            List<String> outcomes = new ArrayList<>();
            for (Future<SessionSummary> session : all) {
                try {
                    outcomes.add(await(session).reason().wireName());
                } catch (ExecutionException e) {
                    assertThat(e.getCause()).isInstanceOf(ChannelAlreadyServed.class);
                    outcomes.add("backed off");
                }
            }
            assertThat(outcomes).containsExactlyInAnyOrder("idle", "backed off", "backed off", "backed off");
        }
    }

    @Test
    @DisplayName("A session message replayed while the session runs backs off on the retained claim")
    void lateDuplicateBacksOff(Vertx vertx) throws Exception {
        stage = new Stage(vertx, FAST, PongHandler::new);
        ResponderService otherProcess = stage.service(FAST, PongHandler::new);
        try (Stage.ChannelClient client = stage.client()) {
            client.startSession();
            assertThat(client.next()).isEqualTo("{\"type\":\"ready\"}");

            Future<SessionSummary> replay = otherProcess.serve(new SessionMessage(client.channelId()),
                    Optional.empty());

            assertThatThrownBy(() -> await(replay)).hasCauseInstanceOf(ChannelAlreadyServed.class);
            assertThat(client.nextWithin(Stage.ABSENT)).isEmpty();
        }
    }

    @Test
    @DisplayName("Malformed, oversize and id-less requests: an error, or an answer without inReplyTo; it goes on")
    void badRequestsRefusedAndSessionGoesOn(Vertx vertx) throws Exception {
        stage = new Stage(vertx, FAST.withMaxRequestBytes(1024), PongHandler::new);
        try (Stage.ChannelClient client = stage.client()) {
            client.startSession();
            assertThat(client.next()).isEqualTo("{\"type\":\"ready\"}");

            client.request("not json");
            JsonObject malformed = new JsonObject(client.next());
            client.request("{\"id\":7,\"pad\":\"" + "x".repeat(2000) + "\"}");
            JsonObject oversize = new JsonObject(client.next());
            client.request("{\"id\":true}");
            JsonObject badId = new JsonObject(client.next());
            client.request("{\"message\":\"PING\"}");
            String idLess = client.next();
            client.request("{\"id\":8}");
            String answered = client.next();

            assertThat(malformed.getString("type")).isEqualTo("error");
            assertThat(malformed.getString("error")).contains("not valid JSON");
            assertThat(oversize.getString("type")).isEqualTo("error");
            assertThat(oversize.getString("error")).contains("at most 1024 bytes");
            assertThat(badId.getString("error")).contains("\"id\" must be a string or a number");
            assertThat(idLess).isEqualTo("{\"message\":\"PONG\"}");
            assertThat(answered).isEqualTo("{\"message\":\"PONG\",\"inReplyTo\":8}");
        }
        SessionSummary summary = await(stage.nextSession());
        assertThat(summary.requests()).isEqualTo(2);
        assertThat(summary.refused()).isEqualTo(3);
    }

    @Test
    @DisplayName("A request sent again with the same id is answered once")
    void repeatedRequestAnsweredOnce(Vertx vertx) throws Exception {
        stage = new Stage(vertx, FAST, PongHandler::new);
        try (Stage.ChannelClient client = stage.client()) {
            client.startSession();
            assertThat(client.next()).isEqualTo("{\"type\":\"ready\"}");

            client.request("{\"id\":\"same\"}");
            client.request("{\"id\":\"same\"}");

            assertThat(client.next()).isEqualTo("{\"message\":\"PONG\",\"inReplyTo\":\"same\"}");
            assertThat(client.nextWithin(Stage.ABSENT)).isEmpty();
        }
    }

    @Test
    @DisplayName("The streaming handler answers one request several times, spaced in time, and refuses a bad count")
    void streamingAnswers(Vertx vertx) throws Exception {
        stage = new Stage(vertx, FAST, StreamingHandler::new);
        try (Stage.ChannelClient client = stage.client()) {
            client.startSession();
            assertThat(client.next()).isEqualTo("{\"type\":\"ready\"}");

            client.request("{\"id\":1,\"count\":3,\"intervalMillis\":50}");
            List<String> parts = List.of(client.next(), client.next(), client.next());
            client.request("{\"id\":2,\"count\":1000}");
            JsonObject refused = new JsonObject(client.next());

            assertThat(parts).containsExactly("{\"part\":1,\"of\":3,\"inReplyTo\":1}",
                    "{\"part\":2,\"of\":3,\"inReplyTo\":1}", "{\"part\":3,\"of\":3,\"inReplyTo\":1}");
            assertThat(refused.getString("type")).isEqualTo("error");
            assertThat(refused.getInteger("inReplyTo")).isEqualTo(2);
            assertThat(refused.getString("error")).contains("\"count\" must be a whole number from 1 to 100");
        }
    }

    @Test
    @DisplayName("Shutdown finishes the answer being streamed, then ends with shutdown and takes no new session")
    void shutdownAnswersThenEnds(Vertx vertx) throws Exception {
        stage = new Stage(vertx, FAST.withIdleTimeout(Duration.ofSeconds(60)), StreamingHandler::new);
        try (Stage.ChannelClient client = stage.client()) {
            client.startSession();
            assertThat(client.next()).isEqualTo("{\"type\":\"ready\"}");
            client.request("{\"id\":1,\"count\":2,\"intervalMillis\":300}");

            Future<Void> shutdown = stage.service.shutdown();

            assertThat(client.next()).isEqualTo("{\"part\":1,\"of\":2,\"inReplyTo\":1}");
            assertThat(client.next()).isEqualTo("{\"part\":2,\"of\":2,\"inReplyTo\":1}");
            assertThat(client.next()).isEqualTo("{\"type\":\"end\",\"reason\":\"shutdown\"}");
            await(shutdown);
            assertThat(await(stage.nextSession()).reason()).isEqualTo(EndReason.SHUTDOWN);
            assertThatThrownBy(() -> await(stage.service.serve(new SessionMessage(client.channelId()),
                    Optional.empty()))).hasCauseInstanceOf(ResponderStopping.class);
        }
    }

    private static <T> T await(Future<T> future) throws ExecutionException, InterruptedException, TimeoutException {
        return future.toCompletionStage()
                .toCompletableFuture()
                .get(Stage.EXPECTED.toMillis(), TimeUnit.MILLISECONDS);
    }
}
