package dev.tether.client;

import dev.tether.mqtt.ConnectionLost;
import dev.tether.mqtt.MqttClientOptions;
import dev.tether.mqtt.MqttReceivedMessage;
import dev.tether.mqtt.MqttWebSocketClient;
import dev.tether.mqtt.ReconnectPolicy;
import dev.tether.mqtt.internal.WebSocketTarget;
import dev.tether.wire.EndReason;
import dev.tether.wire.Request;
import dev.tether.wire.RequestId;
import dev.tether.wire.ResponseMessage;
import dev.tether.wire.SessionGrant;
import dev.tether.wire.SessionMessage;
import dev.tether.wire.WireFormatInvalid;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.internal.ContextInternal;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One open Tether session: a channel to a responder that answers requests.
 *
 * <p>Requests get an {@code id} unless they carry one, and each answer is matched to its request by
 * {@code inReplyTo}. When the responder ends the session ({@code {"type": "end"}}), unanswered requests fail with
 * {@link SessionEnded} and the end handler runs.
 *
 * <p>{@code end: responder-lost} is the responder's MQTT will: the broker publishes it as soon as the responder's
 * connection drops, and MQTT 3.1.1 has no will delay, so it comes even when the responder reconnects a moment later
 * to its persistent session and answers what waited. The session therefore waits up to
 * {@link TetherClientOptions#readyTimeout()} for the responder to say {@code ready} again, keeping its requests
 * waiting, and ends with {@link EndReason#RESPONDER_LOST} only if it does not.
 *
 * <p>If the connection is lost and {@link TetherClientOptions#reconnect()} is set, the session asks the session
 * service for a fresh session (a presigned URL goes stale within minutes, and its credentials are scoped to one
 * channel) and goes on there once its responder is ready; requests unanswered at the loss fail with
 * {@link ConnectionLost}, since their answers would come on the old channel, and requests made while reconnecting
 * fail the same way. The reconnect handler gets the new channel id.
 *
 * <p>Threading: handlers and futures run on the context the session was opened on; methods may be called from any
 * thread and never block.
 */
public final class TetherSession {
    private static final Logger LOG = LoggerFactory.getLogger(TetherSession.class);
    private static final int QOS_AT_LEAST_ONCE = 1;
    private static final int CLIENT_ID_RANDOM_BYTES = 12;
    private static final Duration PING_RESPONSE_TIMEOUT = Duration.ofSeconds(10);

    private final Vertx vertx;
    private final ContextInternal context;
    private final TetherClientOptions options;
    private final WebClient webClient;
    private final Map<RequestId, PendingRequest> pending = new HashMap<>();

    private volatile Handler<EndReason> endHandler = reason -> { };
    private volatile Handler<Throwable> exceptionHandler = failure -> { };
    private volatile Handler<String> reconnectHandler = channelId -> { };

    private Channel channel;
    private boolean reconnecting;
    private boolean closed;
    /** The timer of the wait for a lost responder's return, or -1 when not waiting. */
    private long responderLostTimer = -1;
    private Optional<EndReason> endReason = Optional.empty();
    private long lastRequestNumber;

    private TetherSession(Vertx vertx, ContextInternal context, TetherClientOptions options) {
        this.vertx = vertx;
        this.context = context;
        this.options = options;
        this.webClient = WebClient.create(vertx);
    }

    static Future<TetherSession> open(Vertx vertx, TetherClientOptions options) {
        ContextInternal context = (ContextInternal) vertx.getOrCreateContext();
        Promise<TetherSession> opened = context.promise();
        context.runOnContext(nothing -> {
            TetherSession session = new TetherSession(vertx, context, options);
            session.startChannel()
                    .onSuccess(ready -> opened.complete(session))
                    .onFailure(failure -> {
                        session.closed = true;
                        session.webClient.close();
                        opened.fail(failure);
                    });
        });
        return opened.future();
    }

    /** Called when the responder ends the session, with its reason; the session is closed by then. */
    public TetherSession endHandler(Handler<EndReason> handler) {
        this.endHandler = Objects.requireNonNull(handler, "handler");
        return this;
    }

    /**
     * Called with what no future reports: a lost connection, a failed attempt to open a fresh session, a response
     * message that is not valid wire protocol.
     */
    public TetherSession exceptionHandler(Handler<Throwable> handler) {
        this.exceptionHandler = Objects.requireNonNull(handler, "handler");
        return this;
    }

    /** Called with the new channel id after the session went on in a fresh session. */
    public TetherSession reconnectHandler(Handler<String> handler) {
        this.reconnectHandler = Objects.requireNonNull(handler, "handler");
        return this;
    }

    /** The channel the session uses now; it changes when a lost connection is replaced by a fresh session. */
    public String channelId() {
        Channel current = channel;
        return current == null ? "" : current.grant.channelId();
    }

    /**
     * Sends a request and completes with the responder's answer, the whole JSON object it sent.
     *
     * @param request a JSON object; its {@code id}, if any, must be a string or number not already waiting
     * @return the answer, or a failure: {@link RequestFailed} when the responder sent an error,
     *         {@link RequestTimedOut}, {@link SessionEnded}, {@link ConnectionLost}, or the MQTT client's refusal
     *         (for example {@link dev.tether.mqtt.MqttLimitExceeded} for a request over 128 KB)
     */
    public Future<JsonObject> request(JsonObject request) {
        Objects.requireNonNull(request, "request");
        return onContext(() -> {
            if (closed) {
                return Future.failedFuture(new SessionEnded(endReason));
            }
            if (reconnecting) {
                return Future.failedFuture(new ConnectionLost("The session is reconnecting; retry after the "
                        + "reconnect handler ran"));
            }
            Request parsed = Request.fromJson(request);
            RequestId id = parsed.id().orElseGet(() -> RequestId.of("r" + ++lastRequestNumber));
            if (pending.containsKey(id)) {
                throw new IllegalArgumentException("A request with id " + id.toJson() + " is already waiting for "
                        + "its answer; give each waiting request its own id");
            }
            Promise<JsonObject> answered = context.promise();
            long timer = vertx.setTimer(options.requestTimeout().toMillis(), fired -> {
                if (pending.remove(id) != null) {
                    answered.tryFail(new RequestTimedOut("No answer to request " + id.toJson() + " within "
                            + options.requestTimeout().toMillis() + " ms"));
                }
            });
            pending.put(id, new PendingRequest(answered, timer));
            Channel current = channel;
            current.mqtt.publish(current.topics.request(), new Request(Optional.of(id), parsed.fields()).encode(),
                            QOS_AT_LEAST_ONCE, false)
                    .onFailure(failure -> {
                        PendingRequest failed = pending.remove(id);
                        if (failed != null) {
                            vertx.cancelTimer(failed.timer);
                            failed.promise.tryFail(failure);
                        }
                    });
            return answered.future();
        });
    }

    /**
     * Closes the session: disconnects from the broker, which tells the responder the client is gone; waiting
     * requests fail with {@link SessionEnded}. Completes when the connection is closed.
     */
    public Future<Void> close() {
        return onContext(() -> {
            if (closed) {
                return Future.succeededFuture();
            }
            closed = true;
            cancelResponderLostWait();
            failPending(new SessionEnded(Optional.empty()));
            Channel current = channel;
            Future<Void> disconnected = current == null ? Future.succeededFuture() : current.mqtt.disconnect();
            return disconnected.eventually(() -> {
                webClient.close();
                return Future.succeededFuture();
            });
        });
    }

    /** Fetches a grant, connects, subscribes, publishes the session message and waits for ready. */
    private Future<Void> startChannel() {
        return fetchGrant()
                .compose(grant -> {
                    Channel fresh = new Channel(grant);
                    channel = fresh;
                    return fresh.start();
                });
    }

    private Future<SessionGrant> fetchGrant() {
        String shownUrl = WebSocketTarget.redact(options.sessionServiceUrl());
        return webClient.getAbs(options.sessionServiceUrl())
                .send()
                .recover(failure -> Future.failedFuture(new SessionServiceFailed("The session service at "
                        + shownUrl + " could not be reached: " + failure.getMessage(), failure)))
                .compose(response -> {
                    if (response.statusCode() != 200) {
                        return Future.failedFuture(new SessionServiceFailed("The session service at " + shownUrl
                                + " answered " + response.statusCode() + " instead of 200"));
                    }
                    try {
                        return Future.succeededFuture(SessionGrant.decode(response.bodyAsBuffer()));
                    } catch (WireFormatInvalid | NullPointerException e) {
                        return Future.failedFuture(new SessionServiceFailed("The session service at " + shownUrl
                                + " sent an answer that is not a session grant: " + e.getMessage(), e));
                    }
                });
    }

    private void onResponse(Channel from, MqttReceivedMessage message) {
        ResponseMessage response;
        try {
            response = ResponseMessage.decode(message.payload());
        } catch (WireFormatInvalid e) {
            // Reported once, to the exception handler, which decides whether it matters.
            exceptionHandler.handle(e);
            return;
        }
        if (response instanceof ResponseMessage.Ready) {
            from.ready.tryComplete();
            if (from == channel && responderLostTimer != -1) {
                vertx.cancelTimer(responderLostTimer);
                responderLostTimer = -1;
                LOG.info("{} responder is back; the session goes on", from.grant.channelId());
            }
        } else if (response instanceof ResponseMessage.Answer answer) {
            answer.inReplyTo()
                    .map(pending::remove)
                    .ifPresent(request -> {
                        vertx.cancelTimer(request.timer);
                        request.promise.tryComplete(answer.toJson());
                    });
        } else if (response instanceof ResponseMessage.ErrorReply error) {
            Optional<PendingRequest> request = error.inReplyTo().map(pending::remove);
            if (request.isPresent()) {
                vertx.cancelTimer(request.get().timer);
                request.get().promise.tryFail(new RequestFailed(error.error()));
            } else {
                exceptionHandler.handle(new RequestFailed(error.error()));
            }
        } else if (response instanceof ResponseMessage.End end) {
            onEnd(from, end.reason());
        }
    }

    private void onEnd(Channel from, EndReason reason) {
        if (from != channel || closed) {
            return;
        }
        if (reason == EndReason.RESPONDER_LOST) {
            if (responderLostTimer == -1) {
                LOG.info("{} responder's connection lost; waiting up to {} ms for it to say ready again",
                        from.grant.channelId(), options.readyTimeout().toMillis());
                responderLostTimer = vertx.setTimer(options.readyTimeout().toMillis(), fired -> {
                    responderLostTimer = -1;
                    end(from, reason);
                });
            }
            return;
        }
        end(from, reason);
    }

    private void end(Channel from, EndReason reason) {
        if (from != channel || closed) {
            return;
        }
        cancelResponderLostWait();
        LOG.info("{} session ended by the responder: {}", from.grant.channelId(), reason.wireName());
        closed = true;
        endReason = Optional.of(reason);
        failPending(new SessionEnded(endReason));
        from.mqtt.disconnect()
                .onComplete(done -> webClient.close());
        endHandler.handle(reason);
    }

    private void onConnectionClosed(Channel from) {
        if (from != channel || closed) {
            return;
        }
        if (!from.ready.future().isComplete()) {
            from.ready.tryFail(new ConnectionLost("The connection closed before the responder said ready"));
            return;
        }
        if (from.ready.future().failed()) {
            return;
        }
        cancelResponderLostWait();
        ConnectionLost lost = new ConnectionLost("The connection to the broker was lost", from.lastFailure);
        failPending(lost);
        exceptionHandler.handle(lost);
        Optional<ReconnectPolicy> policy = options.reconnect();
        if (policy.isPresent()) {
            reconnecting = true;
            scheduleReconnect(policy.get(), 1);
        } else {
            closed = true;
            webClient.close();
        }
    }

    private void scheduleReconnect(ReconnectPolicy policy, int attempt) {
        long delayMillis = policy.delayBefore(attempt, ThreadLocalRandom.current().nextDouble()).toMillis();
        vertx.setTimer(delayMillis, fired -> {
            if (closed) {
                return;
            }
            startChannel()
                    .onSuccess(ready -> {
                        reconnecting = false;
                        LOG.info("{} session went on in a fresh session", channel.grant.channelId());
                        reconnectHandler.handle(channel.grant.channelId());
                    })
                    .onFailure(failure -> {
                        exceptionHandler.handle(failure);
                        if (attempt >= policy.maxAttempts()) {
                            closed = true;
                            webClient.close();
                            exceptionHandler.handle(new ConnectionLost("Gave up opening a fresh session after "
                                    + attempt + " attempts", failure));
                        } else {
                            scheduleReconnect(policy, attempt + 1);
                        }
                    });
        });
    }

    private void cancelResponderLostWait() {
        if (responderLostTimer != -1) {
            vertx.cancelTimer(responderLostTimer);
            responderLostTimer = -1;
        }
    }

    private void failPending(Throwable cause) {
        List<PendingRequest> waiting = new ArrayList<>(pending.values());
        pending.clear();
        for (PendingRequest request : waiting) {
            vertx.cancelTimer(request.timer);
            request.promise.tryFail(cause);
        }
    }

    private <T> Future<T> onContext(Supplier<Future<T>> operation) {
        if (Vertx.currentContext() == context) {
            return guarded(operation);
        }
        Promise<T> promise = context.promise();
        context.runOnContext(nothing -> guarded(operation).onComplete(promise));
        return promise.future();
    }

    private static <T> Future<T> guarded(Supplier<Future<T>> operation) {
        try {
            return operation.get();
        } catch (RuntimeException e) {
            return Future.failedFuture(e);
        }
    }

    private static String randomClientId() {
        byte[] random = new byte[CLIENT_ID_RANDOM_BYTES];
        ThreadLocalRandom.current().nextBytes(random);
        return "tether-" + HexFormat.of().formatHex(random);
    }

    private record PendingRequest(Promise<JsonObject> promise, long timer) {
    }

    /** One granted session: its MQTT connection, topics and the wait for ready. */
    private final class Channel {
        private final SessionGrant grant;
        private final SessionGrant.Topics topics;
        private final MqttWebSocketClient mqtt;
        private final Promise<Void> ready = context.promise();
        private Throwable lastFailure;

        private Channel(SessionGrant grant) {
            this.grant = grant;
            this.topics = grant.topics()
                    .orElseGet(() -> SessionGrant.Topics.derive(options.topicPrefix(), grant.channelId()));
            String clientId = grant.clientId().orElseGet(TetherSession::randomClientId);
            this.mqtt = MqttWebSocketClient.create(vertx, MqttClientOptions.of(clientId)
                            .withKeepAlive(options.keepAliveSeconds(), PING_RESPONSE_TIMEOUT))
                    .messageHandler(message -> onResponse(this, message))
                    .exceptionHandler(failure -> lastFailure = failure)
                    .closeHandler(nothing -> onConnectionClosed(this));
        }

        private Future<Void> start() {
            return mqtt.connect(grant.endpointUrl())
                    .compose(sessionPresent -> mqtt.subscribe(topics.response(), QOS_AT_LEAST_ONCE))
                    .compose(granted -> mqtt.publish(topics.session(),
                            new SessionMessage(grant.channelId()).encode(), QOS_AT_LEAST_ONCE, false))
                    .compose(published -> awaitReady())
                    .onSuccess(isReady -> LOG.info("{} session ready", grant.channelId()))
                    .onFailure(failure -> mqtt.disconnect());
        }

        private Future<Void> awaitReady() {
            long timer = vertx.setTimer(options.readyTimeout().toMillis(), fired -> ready.tryFail(
                    new ResponderNotReady("No responder said ready on " + topics.response() + " within "
                            + options.readyTimeout().toMillis() + " ms of the session message; check that a "
                            + "responder serves " + topics.session())));
            return ready.future()
                    .onComplete(done -> vertx.cancelTimer(timer));
        }
    }
}
