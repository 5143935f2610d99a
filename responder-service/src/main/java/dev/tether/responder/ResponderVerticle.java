package dev.tether.responder;

import dev.tether.channel.ChannelId;
import dev.tether.mqtt.MqttClientOptions;
import dev.tether.mqtt.MqttReceivedMessage;
import dev.tether.mqtt.MqttWebSocketClient;
import dev.tether.mqtt.MqttWill;
import dev.tether.topic.Topics;
import dev.tether.wire.EndReason;
import dev.tether.wire.Request;
import dev.tether.wire.RequestId;
import dev.tether.wire.ResponseMessage;
import dev.tether.wire.WireFormatInvalid;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves one channel: its own MQTT connection, the claim that makes it the channel's only responder, the request
 * subscription, the idle timer, the deadline and the {@link SessionHandler}.
 *
 * <h2>Lifecycle</h2>
 * <ol>
 *   <li>Connects with a URL from the supplier (asked again on every reconnect, since presigned URLs go stale), a
 *       client id of its own ({@code tether-responder-<channelId>-<nonce>}), a persistent session so that no QoS 1
 *       request is lost while it reconnects, and a will that publishes {@code end: responder-lost}.</li>
 *   <li>Subscribes to the claim topic, the request topic and the client's presence events at once, and claims
 *       the channel (below). A responder that loses the claim unsubscribes, disconnects and fails its start with
 *       {@link ChannelAlreadyServed}; it never publishes to the response topic.</li>
 *   <li>Calls the handler's {@code onStart} and publishes {@code ready}.</li>
 *   <li>Passes each request to the handler once: a request redelivered with an id already seen is dropped.
 *       Malformed and oversize requests get an {@code error} message and the session goes on. Each request starts
 *       the idle timer again.</li>
 *   <li>Ends on idle, on the deadline, when the client's presence says it disconnected, or when undeployed
 *       (shutdown): waits up to {@link ResponderSettings#endGrace()} for answers being sent, publishes
 *       {@code end} with the reason, disconnects (so the broker drops the will), completes {@link #summary()} and
 *       undeploys itself.</li>
 * </ol>
 *
 * <h2>At most one responder per channel</h2>
 * AWS IoT Core has no lock, and a second connection with the same client id takes the first one over, so a client
 * id cannot be the claim. Instead each responder subscribes to {@code <prefix>/<channelId>/claim} and publishes a
 * retained QoS 1 claim {@code {"responder": nonce, "claimedAt": epochMillis}} there. Once its own claim has come
 * back from the broker it waits {@link ResponderSettings#claimWindow()} more for rival claims, then the earliest
 * claim it saw (by {@code claimedAt}, then nonce) wins. Every responder that arrives later receives a retained claim
 * older than its own at subscribe time and backs off; responders that arrive together see each other's claims
 * within the window and agree on the same winner. Retained messages, QoS 1 and per-topic delivery are all AWS IoT
 * Core features (AWS IoT developer guide, "MQTT retained messages"). The claim stays on the broker after the session,
 * so a replayed session message never restarts the channel.
 *
 * <p>Presence events may come late, twice or out of order (AWS IoT developer guide, "Lifecycle events"): a
 * disconnect is ignored when a connect with a higher {@code versionNumber} was seen, or when the client was only
 * taken over by its own reconnect ({@code DUPLICATE_CLIENTID}).
 *
 * <p>Threading: everything runs on the verticle's event loop; nothing blocks. {@link #summary()} may be read from
 * any thread.
 */
public final class ResponderVerticle extends VerticleBase {
    /** The client id prefix the session service gives clients; presence events are followed under it. */
    public static final String CLIENT_ID_PREFIX = "tether-client-";
    /** The client id prefix of responders. */
    public static final String RESPONDER_ID_PREFIX = "tether-responder-";

    private static final Logger LOG = LoggerFactory.getLogger(ResponderVerticle.class);
    private static final int QOS = 1;
    private static final int REMEMBERED_IDS = 4096;
    private static final int NONCE_BYTES = 6;
    private static final Duration PING_RESPONSE_TIMEOUT = Duration.ofSeconds(10);

    private final ChannelId channel;
    private final ResponderSettings settings;
    private final SessionHandler handler;
    private final Supplier<Future<String>> urls;
    private final Clock clock;
    private final Instant startedAt;
    private final Instant deadline;
    private final String nonce;
    private final String requestTopic;
    private final String responseTopic;
    private final String claimTopic;
    private final String presenceDisconnectedTopic;
    private final String presenceConnectedTopic;
    private final Promise<SessionSummary> summary = Promise.promise();
    private final Set<RequestId> seenIds = Collections.newSetFromMap(new LinkedHashMap<>() {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<RequestId, Boolean> eldest) {
            return size() > REMEMBERED_IDS;
        }
    });
    private final List<Claim> claims = new ArrayList<>();

    private SessionContext sessionContext;
    private MqttWebSocketClient mqtt;
    private State state = State.CLAIMING;
    private Promise<Boolean> claimDecision;
    private Future<?> sessionTopics;
    private long idleTimer = -1;
    private long deadlineTimer = -1;
    private long clientConnectedVersion = -1;
    private long requests;
    private long refused;
    private int answering;
    private Promise<Void> drained;
    private boolean endPublished;
    private volatile boolean shutdownRequested;
    private Future<Void> ended;

    /**
     * A responder for a verified channel.
     *
     * @param channel  the channel, already verified
     * @param settings how to behave
     * @param handler  the handler for this session alone
     * @param urls     a fresh presigned URL for each connection attempt; called on the verticle's event loop
     * @param clock    judges the deadline and the duration
     * @param deadline when the session must end at the latest; {@link ResponderSettings#maxDuration()} shortens it
     */
    public ResponderVerticle(ChannelId channel, ResponderSettings settings, SessionHandler handler,
            Supplier<Future<String>> urls, Clock clock, Optional<Instant> deadline) {
        this.channel = Objects.requireNonNull(channel, "channel");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.handler = Objects.requireNonNull(handler, "handler");
        this.urls = Objects.requireNonNull(urls, "urls");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.startedAt = clock.instant();
        Instant longest = startedAt.plus(settings.maxDuration());
        this.deadline = deadline.filter(value -> value.isBefore(longest)).orElse(longest);
        byte[] random = new byte[NONCE_BYTES];
        ThreadLocalRandom.current().nextBytes(random);
        this.nonce = HexFormat.of().formatHex(random);
        Topics topics = settings.topics();
        this.requestTopic = topics.request(channel);
        this.responseTopic = topics.response(channel);
        this.claimTopic = topics.claim(channel);
        this.presenceDisconnectedTopic = topics.presenceDisconnected(CLIENT_ID_PREFIX + channel.value());
        this.presenceConnectedTopic = topics.presenceConnected(CLIENT_ID_PREFIX + channel.value());
    }

    /**
     * Completes once the session has ended and its {@code end} message went out (or could not); fails as
     * {@link #start()} does when the session never started.
     */
    public Future<SessionSummary> summary() {
        return summary.future();
    }

    /** The channel served. */
    public String channelId() {
        return channel.value();
    }

    /**
     * Connects, claims the channel, subscribes and publishes {@code ready}.
     *
     * @return completes once {@code ready} is published; fails with {@link ChannelAlreadyServed} when another
     *         responder holds the channel, or with the MQTT client's failure when the broker cannot be reached
     */
    @Override
    public Future<?> start() {
        sessionContext = new SessionContext(vertx, channel.value());
        MqttWill will = new MqttWill(responseTopic, new ResponseMessage.End(EndReason.RESPONDER_LOST).encode(), QOS,
                false);
        mqtt = MqttWebSocketClient.create(vertx, MqttClientOptions.of(RESPONDER_ID_PREFIX + channel.value() + "-"
                                + nonce)
                        .withCleanSession(false)
                        .withKeepAlive(settings.keepAliveSeconds(), PING_RESPONSE_TIMEOUT)
                        .withWill(will)
                        .withReconnect(settings.reconnect()))
                .messageHandler(this::onMessage)
                .exceptionHandler(failure -> LOG.info("{} responder connection: {}", channel.value(),
                        failure.toString()))
                .reconnectHandler(this::onReconnected)
                .closeHandler(nothing -> onClosedForGood());
        claimDecision = Promise.promise();
        // All four SUBSCRIBEs in flight at once (MQTT 3.1.1 section 4.6 allows it): one round trip to the broker,
        // not four. The claim is published once its own subscription is granted, so no rival claim is missed.
        return mqtt.connect(urls)
                .compose(sessionPresent -> {
                    sessionTopics = Future.all(mqtt.subscribe(requestTopic, QOS),
                            mqtt.subscribe(presenceConnectedTopic, QOS),
                            mqtt.subscribe(presenceDisconnectedTopic, QOS));
                    return mqtt.subscribe(claimTopic, QOS);
                })
                .compose(granted -> mqtt.publish(claimTopic, claimPayload(), QOS, true))
                .compose(published -> claimDecision.future())
                .compose(won -> won ? serve() : yieldChannel())
                .onFailure(failure -> {
                    summary.tryFail(failure);
                    if (state != State.ENDED) {
                        state = State.ENDED;
                        mqtt.disconnect();
                    }
                });
    }

    /**
     * Ends the session with {@code end: shutdown} after the answers being sent, as soon as it is serving: at once if
     * it is, right after {@code ready} if it is still starting. May be called from any thread.
     *
     * @return the session's summary once it has ended; fails as {@link #summary()} does when it never started
     */
    public Future<SessionSummary> shutdown() {
        shutdownRequested = true;
        if (context != null) {
            context.runOnContext(nothing -> {
                if (state == State.SERVING) {
                    end(EndReason.SHUTDOWN);
                }
            });
        }
        return summary();
    }

    /** Ends the session with {@code shutdown} unless it has ended already; completes once {@code end} is out. */
    @Override
    public Future<?> stop() {
        if (state == State.CLAIMING) {
            state = State.ENDED;
            return mqtt.disconnect();
        }
        return end(EndReason.SHUTDOWN);
    }

    private Buffer claimPayload() {
        return new JsonObject()
                .put("responder", nonce)
                .put("claimedAt", clock.millis())
                .toBuffer();
    }

    private Future<Void> serve() {
        state = State.SUBSCRIBING;
        return sessionTopics
                .compose(granted -> handler.onStart(sessionContext))
                .compose(started -> {
                    // Serving before ready goes out, so that a request sent the instant ready arrives is handled.
                    state = State.SERVING;
                    restartIdleTimer();
                    long untilDeadline = Math.max(1, Duration.between(clock.instant(), deadline).toMillis());
                    deadlineTimer = vertx.setTimer(untilDeadline, fired -> end(EndReason.DEADLINE));
                    return mqtt.publish(responseTopic, new ResponseMessage.Ready().encode(), QOS, false);
                })
                .onSuccess(ready -> {
                    LOG.info("{} responder ready, deadline {}", channel.value(), deadline);
                    if (shutdownRequested) {
                        end(EndReason.SHUTDOWN);
                    }
                });
    }

    private Future<Void> yieldChannel() {
        state = State.ENDED;
        LOG.info("{} responder backs off: another responder claimed the channel first", channel.value());
        // Its persistent session would otherwise keep receiving the channel's requests after it is gone.
        return Future.join(mqtt.unsubscribe(requestTopic), mqtt.unsubscribe(presenceConnectedTopic),
                        mqtt.unsubscribe(presenceDisconnectedTopic))
                .transform(unsubscribed -> mqtt.disconnect())
                .transform(done -> Future.failedFuture(new ChannelAlreadyServed("channel " + channel.value()
                        + " already has a responder; this session message was a duplicate")));
    }

    private void onReconnected(boolean sessionPresent) {
        LOG.info("{} responder reconnected, session present {}", channel.value(), sessionPresent);
        if (state == State.SERVING) {
            // The broker published the will (end: responder-lost) when the connection dropped: MQTT 3.1.1 has no
            // will delay. Requests that came meanwhile waited in the persistent session; ready says to go on.
            publish(new ResponseMessage.Ready())
                    .onFailure(failure -> LOG.info("{} ready after reconnect not sent: {}", channel.value(),
                            failure.toString()));
        }
    }

    private void onMessage(MqttReceivedMessage message) {
        String topic = message.topic();
        if (topic.equals(requestTopic)) {
            onRequest(message);
        } else if (topic.equals(claimTopic)) {
            onClaim(message);
        } else if (topic.equals(presenceConnectedTopic) || topic.equals(presenceDisconnectedTopic)) {
            onPresence(message);
        }
    }

    private void onClaim(MqttReceivedMessage message) {
        if (state != State.CLAIMING || claimDecision.future().isComplete()) {
            return;
        }
        Claim claim;
        try {
            JsonObject json = message.payload().toJsonObject();
            claim = new Claim(json.getLong("claimedAt"), json.getString("responder"));
            Objects.requireNonNull(claim.claimedAt, "claimedAt");
            Objects.requireNonNull(claim.responder, "responder");
        } catch (DecodeException | ClassCastException | NullPointerException e) {
            // Only responders publish here; an unreadable claim still says someone holds the channel.
            LOG.warn("{} unreadable claim on {}; backing off", channel.value(), claimTopic);
            claimDecision.tryComplete(false);
            return;
        }
        claims.add(claim);
        if (claim.responder.equals(nonce)) {
            vertx.setTimer(Math.max(1, settings.claimWindow().toMillis()), fired -> decideClaim());
        }
    }

    private void decideClaim() {
        Claim winner = claims.stream()
                .min(Comparator.comparingLong(Claim::claimedAt).thenComparing(Claim::responder))
                .orElseThrow();
        claimDecision.tryComplete(winner.responder.equals(nonce));
    }

    private void onPresence(MqttReceivedMessage message) {
        JsonObject event;
        try {
            event = message.payload().toJsonObject();
        } catch (DecodeException e) {
            LOG.warn("{} presence event that is not JSON ignored", channel.value());
            return;
        }
        long version = event.getValue("versionNumber") instanceof Number number ? number.longValue() : -1;
        if ("connected".equals(event.getString("eventType"))) {
            clientConnectedVersion = Math.max(clientConnectedVersion, version);
            return;
        }
        if (version >= 0 && version < clientConnectedVersion) {
            LOG.debug("{} stale disconnect event (version {}) ignored", channel.value(), version);
            return;
        }
        if ("DUPLICATE_CLIENTID".equals(event.getString("disconnectReason"))) {
            LOG.debug("{} client took its own connection over; not gone", channel.value());
            return;
        }
        if (state == State.SERVING) {
            end(EndReason.CLIENT_GONE);
        }
    }

    private void onRequest(MqttReceivedMessage message) {
        if (state != State.SERVING) {
            return;
        }
        restartIdleTimer();
        if (message.payload().length() > settings.maxRequestBytes()) {
            refuse(Optional.empty(), "a request may have at most " + settings.maxRequestBytes() + " bytes; this one "
                    + "has " + message.payload().length());
            return;
        }
        Request request;
        try {
            request = Request.decode(message.payload());
        } catch (WireFormatInvalid e) {
            refuse(Optional.empty(), e.getMessage());
            return;
        }
        Optional<RequestId> id = request.id();
        if (id.isPresent() && !seenIds.add(id.get())) {
            LOG.debug("{} request {} delivered again; answered once already", channel.value(), id.get().toJson());
            return;
        }
        requests++;
        answering++;
        Future<Void> handled;
        try {
            handled = handler.onRequest(sessionContext, request, new RequestReplies(id));
        } catch (RuntimeException e) {
            handled = Future.failedFuture(e);
        }
        handled.recover(failure -> answerFailure(id, failure))
                .onComplete(done -> onAnswered());
    }

    private Future<Void> answerFailure(Optional<RequestId> id, Throwable failure) {
        if (endPublished) {
            LOG.debug("{} request {} stopped by the end of the session", channel.value(),
                    id.map(RequestId::toJson).orElse("without id"));
            return Future.succeededFuture();
        }
        LOG.info("{} request {} failed in the handler: {}", channel.value(),
                id.map(RequestId::toJson).orElse("without id"), failure.toString());
        return publish(new ResponseMessage.ErrorReply(id, String.valueOf(failure.getMessage())));
    }

    private void onAnswered() {
        answering--;
        if (answering == 0 && drained != null) {
            drained.tryComplete();
        }
    }

    private void refuse(Optional<RequestId> id, String why) {
        refused++;
        LOG.info("{} request refused: {}", channel.value(), why);
        publish(new ResponseMessage.ErrorReply(id, why));
    }

    private Future<Void> publish(ResponseMessage message) {
        return mqtt.publish(responseTopic, message.encode(), QOS, false);
    }

    private void restartIdleTimer() {
        if (idleTimer >= 0) {
            vertx.cancelTimer(idleTimer);
        }
        idleTimer = vertx.setTimer(settings.idleTimeout().toMillis(), fired -> end(EndReason.IDLE));
    }

    private Future<Void> end(EndReason reason) {
        if (ended != null) {
            return ended;
        }
        state = State.ENDING;
        vertx.cancelTimer(idleTimer);
        vertx.cancelTimer(deadlineTimer);
        LOG.info("{} session ending: {}", channel.value(), reason.wireName());
        drained = Promise.promise();
        if (answering == 0) {
            drained.complete();
        }
        long graceMillis = settings.endGrace().toMillis();
        ended = drained.future()
                .timeout(graceMillis, TimeUnit.MILLISECONDS)
                .recover(late -> {
                    LOG.warn("{} {} answers still being sent after {} ms; ending anyway", channel.value(),
                            answering, graceMillis);
                    return Future.succeededFuture();
                })
                .compose(answered -> {
                    callOnEnd(reason);
                    endPublished = true;
                    return publish(new ResponseMessage.End(reason))
                            .timeout(graceMillis, TimeUnit.MILLISECONDS);
                })
                .recover(failure -> {
                    LOG.warn("{} end message not acknowledged: {}", channel.value(), failure.toString());
                    return Future.succeededFuture();
                })
                .compose(published -> mqtt.disconnect())
                .onComplete(done -> finish(reason));
        return ended;
    }

    private void callOnEnd(EndReason reason) {
        try {
            handler.onEnd(sessionContext, reason);
        } catch (RuntimeException e) {
            LOG.warn("{} handler failed in onEnd", channel.value(), e);
        }
    }

    private void onClosedForGood() {
        if (state == State.SERVING || state == State.SUBSCRIBING) {
            // The broker published the will (end: responder-lost) when the connection dropped.
            LOG.error("{} responder connection lost for good; the will told the client", channel.value());
            vertx.cancelTimer(idleTimer);
            vertx.cancelTimer(deadlineTimer);
            ended = Future.succeededFuture();
            finish(EndReason.RESPONDER_LOST);
        }
    }

    private void finish(EndReason reason) {
        state = State.ENDED;
        SessionSummary done = new SessionSummary(channel.value(), requests, refused,
                Duration.between(startedAt, clock.instant()), reason);
        LOG.info("{} session ended: {} after {} requests in {} ms", channel.value(), reason.wireName(), requests,
                done.duration().toMillis());
        summary.tryComplete(done);
        if (deploymentID() != null && vertx.deploymentIDs().contains(deploymentID())) {
            vertx.undeploy(deploymentID())
                    .onFailure(failure -> LOG.debug("{} undeploy: {}", channel.value(), failure.toString()));
        }
    }

    private enum State {
        CLAIMING, SUBSCRIBING, SERVING, ENDING, ENDED
    }

    private record Claim(Long claimedAt, String responder) {
    }

    /** The answers to one request, each with its id as {@code inReplyTo}. */
    private final class RequestReplies implements Replies {
        private final Optional<RequestId> id;

        private RequestReplies(Optional<RequestId> id) {
            this.id = id;
        }

        @Override
        public Future<Void> answer(JsonObject fields) {
            if (endPublished || state == State.ENDED) {
                // Nothing may follow end on the response topic: a handler still streaming is told to stop.
                return Future.failedFuture(new IllegalStateException("channel " + channel.value() + " has ended"));
            }
            try {
                return publish(new ResponseMessage.Answer(id, fields));
            } catch (IllegalArgumentException e) {
                return Future.failedFuture(e);
            }
        }

        @Override
        public Future<Void> error(String message) {
            if (endPublished || state == State.ENDED) {
                return Future.failedFuture(new IllegalStateException("channel " + channel.value() + " has ended"));
            }
            return publish(new ResponseMessage.ErrorReply(id, message));
        }
    }
}
