package dev.tether.mqtt;

import dev.tether.IotLimits;
import dev.tether.mqtt.internal.MqttPacketCodec;
import dev.tether.mqtt.internal.WebSocketTarget;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.mqtt.MqttConnAckMessage;
import io.netty.handler.codec.mqtt.MqttConnectReturnCode;
import io.netty.handler.codec.mqtt.MqttFixedHeader;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttMessageBuilders;
import io.netty.handler.codec.mqtt.MqttMessageIdVariableHeader;
import io.netty.handler.codec.mqtt.MqttMessageType;
import io.netty.handler.codec.mqtt.MqttPublishMessage;
import io.netty.handler.codec.mqtt.MqttPublishVariableHeader;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.netty.handler.codec.mqtt.MqttSubAckMessage;
import io.netty.handler.codec.mqtt.MqttVersion;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.http.WebSocketFrame;
import io.vertx.core.internal.ContextInternal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An MQTT 3.1.1 client over WebSocket, built for AWS IoT Core's presigned URLs, in the spirit of vertx-mqtt's
 * {@code MqttClient} (which speaks only TCP).
 *
 * <pre>{@code
 * MqttWebSocketClient client = MqttWebSocketClient.create(vertx, MqttClientOptions.of("device-1"));
 * client.messageHandler(message -> System.out.println(message.topic()));
 * client.connect(presignedUrl)
 *         .compose(sessionPresent -> client.subscribe("tether/abc/response", 1))
 *         .compose(grantedQos -> client.publish("tether/session", Buffer.buffer("{}"), 1, false));
 * }</pre>
 *
 * <p>The URL is used verbatim: its path and query reach the server byte for byte, and the client offers the
 * {@code mqtt} subprotocol (MQTT 3.1.1 section 6). Packets travel in binary frames; packets written in the same
 * event-loop turn share a frame, and a message longer than {@link MqttClientOptions#maxFrameBytes()} goes out as
 * continuation frames. Incoming packets are reassembled across frames, see {@link MqttPacketCodec}.
 *
 * <p>QoS 1 publishes complete on PUBACK. At most {@link MqttClientOptions#maxInFlight()} await their PUBACK; more
 * wait in a queue of at most {@link MqttClientOptions#maxQueuedPublishes()}, and beyond that publish fails with
 * {@link MqttLimitExceeded}. An incoming QoS 1 message is acknowledged after the message handler returned.
 *
 * <p>After a lost connection, if {@link MqttClientOptions#reconnect()} is set, the client asks the URL supplier for
 * a fresh URL (presigned URLs go stale within minutes) and reconnects with backoff. It then re-sends every QoS 1
 * publish still awaiting PUBACK, with DUP set, and, when the broker kept no session, subscribes again to every
 * filter it held.
 *
 * <p>Threading: create the client on the Vert.x context it should live on (or off any context, and it takes one).
 * Every handler is called and every future completed on that context. Methods may be called from any thread; they
 * never block. Methods returning a Future never throw: bad arguments, limits and connection state fail the Future.
 */
public final class MqttWebSocketClient {
    private static final Logger LOG = LoggerFactory.getLogger(MqttWebSocketClient.class);
    private static final String SUBPROTOCOL = "mqtt";
    private static final int MAX_PACKET_ID = 65535;
    private static final int SUBACK_FAILURE = 0x80;
    /** Largest packet accepted from the broker: AWS IoT Core's largest payload with room for its header. */
    private static final int MAX_INCOMING_PACKET_BYTES = MqttClientOptions.DEFAULT_MAX_FRAME_BYTES;

    private final Vertx vertx;
    private final ContextInternal context;
    private final MqttClientOptions options;
    private final WebSocketClient webSocketClient;

    private final Map<String, Integer> subscriptions = new LinkedHashMap<>();
    private final Map<Integer, PendingSubscribe> pendingSubscribes = new HashMap<>();
    private final Map<Integer, PendingUnsubscribe> pendingUnsubscribes = new HashMap<>();
    private final LinkedHashMap<Integer, OutgoingPublish> inFlight = new LinkedHashMap<>();
    private final ArrayDeque<OutgoingPublish> queued = new ArrayDeque<>();

    private volatile Handler<MqttReceivedMessage> messageHandler = message -> { };
    private volatile Handler<Throwable> exceptionHandler = failure -> { };
    private volatile Handler<Boolean> reconnectHandler = sessionPresent -> { };
    private volatile Handler<Void> closeHandler = nothing -> { };

    private State state = State.NEW;
    private Supplier<Future<String>> urlSupplier;
    private Connection connection;
    private int lastPacketId;
    private long reconnectTimer = -1;

    private MqttWebSocketClient(Vertx vertx, MqttClientOptions options) {
        this.vertx = vertx;
        this.context = (ContextInternal) vertx.getOrCreateContext();
        this.options = options;
        // Incoming frames may be as large as a whole packet; outgoing ones are cut to maxFrameBytes in writeMessage.
        this.webSocketClient = vertx.createWebSocketClient(new WebSocketClientOptions()
                .setMaxFrameSize(MAX_INCOMING_PACKET_BYTES)
                .setMaxMessageSize(MAX_INCOMING_PACKET_BYTES)
                .setConnectTimeout((int) options.connectTimeout().toMillis()));
    }

    /**
     * Creates a client bound to the caller's Vert.x context; nothing is sent until {@link #connect(Supplier)}.
     */
    public static MqttWebSocketClient create(Vertx vertx, MqttClientOptions options) {
        Objects.requireNonNull(vertx, "vertx");
        Objects.requireNonNull(options, "options");
        return new MqttWebSocketClient(vertx, options);
    }

    /** Called for every PUBLISH the broker delivers, before a QoS 1 one is acknowledged. */
    public MqttWebSocketClient messageHandler(Handler<MqttReceivedMessage> handler) {
        this.messageHandler = Objects.requireNonNull(handler, "handler");
        return this;
    }

    /**
     * Called with what went wrong that no Future reports: a lost connection (before any reconnect or the close
     * handler), a failed reconnect attempt, a failed re-subscription, a message handler that threw.
     */
    public MqttWebSocketClient exceptionHandler(Handler<Throwable> handler) {
        this.exceptionHandler = Objects.requireNonNull(handler, "handler");
        return this;
    }

    /** Called after each successful reconnect, with CONNACK's session-present flag. */
    public MqttWebSocketClient reconnectHandler(Handler<Boolean> handler) {
        this.reconnectHandler = Objects.requireNonNull(handler, "handler");
        return this;
    }

    /**
     * Called once when the client is closed for good: after {@link #disconnect()}, after a lost connection without
     * a reconnect policy, or when the policy's attempts ran out.
     */
    public MqttWebSocketClient closeHandler(Handler<Void> handler) {
        this.closeHandler = Objects.requireNonNull(handler, "handler");
        return this;
    }

    /** Connects to one URL; without a fresh URL, reconnecting reuses it. See {@link #connect(Supplier)}. */
    public Future<Boolean> connect(String url) {
        Objects.requireNonNull(url, "url");
        return connect(() -> Future.succeededFuture(url));
    }

    /**
     * Opens the WebSocket and sends CONNECT.
     *
     * @param urlSupplier gives the {@code ws://} or {@code wss://} URL for each attempt, this one and every
     *                    reconnect; it is called on the client's context and must not block
     * @return the CONNACK session-present flag (MQTT 3.1.1 section 3.2.2.2), or a failure: {@link ConnectionRefused}
     *         with the return code, {@link ConnectionLost} if the WebSocket failed or CONNACK did not come within
     *         the connect timeout, {@link IllegalStateException} if the client is connecting, connected or closed
     */
    public Future<Boolean> connect(Supplier<Future<String>> urlSupplier) {
        Objects.requireNonNull(urlSupplier, "urlSupplier");
        return onContext(() -> {
            if (state != State.NEW) {
                return Future.failedFuture(new IllegalStateException(
                        "connect may be called once, on a new client; this one is " + state.description));
            }
            this.urlSupplier = urlSupplier;
            state = State.CONNECTING;
            return attempt()
                    .onSuccess(sessionPresent -> state = State.CONNECTED)
                    .onFailure(failure -> closeForGood(failure));
        });
    }

    /**
     * Subscribes to one topic filter.
     *
     * @param qos the largest QoS to receive at, 0 or 1
     * @return the QoS the broker granted, or a failure: {@link SubscriptionRefused} when SUBACK says 0x80,
     *         {@link MqttLimitExceeded} for a filter AWS IoT Core would refuse or a 51st subscription,
     *         {@link ConnectionLost} without a connection
     */
    public Future<Integer> subscribe(String topicFilter, int qos) {
        return onContext(() -> {
            Objects.requireNonNull(topicFilter, "topicFilter");
            Limits.checkTopicFilter(topicFilter, "topic filter");
            Limits.checkQos(qos, "subscription QoS");
            if (!subscriptions.containsKey(topicFilter)
                    && subscriptions.size() + pendingSubscribes.size() >= IotLimits.MAX_SUBSCRIPTIONS_PER_CONNECTION) {
                throw new MqttLimitExceeded("subscribing to '" + topicFilter + "' would make "
                        + (subscriptions.size() + pendingSubscribes.size() + 1) + " subscriptions; AWS IoT Core "
                        + "allows at most " + IotLimits.MAX_SUBSCRIPTIONS_PER_CONNECTION + " per connection");
            }
            Connection current = requireConnected("subscribe");
            Promise<Integer> promise = context.promise();
            sendSubscribe(current, topicFilter, qos, promise);
            return promise.future();
        });
    }

    /**
     * Unsubscribes from one topic filter; completes on UNSUBACK, or fails with {@link ConnectionLost} without a
     * connection.
     */
    public Future<Void> unsubscribe(String topicFilter) {
        return onContext(() -> {
            Objects.requireNonNull(topicFilter, "topicFilter");
            Limits.checkTopicFilter(topicFilter, "topic filter");
            Connection current = requireConnected("unsubscribe");
            int packetId = nextPacketId();
            Promise<Void> promise = context.promise();
            pendingUnsubscribes.put(packetId, new PendingUnsubscribe(topicFilter, promise));
            current.send(MqttMessageBuilders.unsubscribe()
                    .addTopicFilter(topicFilter)
                    .messageId(packetId)
                    .build());
            return promise.future();
        });
    }

    /**
     * Publishes a message.
     *
     * <p>QoS 0 completes once the packet is written to the WebSocket. QoS 1 completes on PUBACK; it waits in the
     * queue while the in-flight window is full or the client is reconnecting.
     *
     * @return completion, or a failure: {@link MqttLimitExceeded} for a payload over 128 KB, a topic AWS IoT Core
     *         would refuse, or a full queue (and for QoS 0 a full WebSocket write queue); {@link ConnectionLost}
     *         if there is no connection (QoS 0, or QoS 1 without a reconnect policy) or it ended for good before
     *         PUBACK; {@link IllegalArgumentException} for a QoS other than 0 or 1
     */
    public Future<Void> publish(String topic, Buffer payload, int qos, boolean retain) {
        return onContext(() -> {
            Objects.requireNonNull(topic, "topic");
            Objects.requireNonNull(payload, "payload");
            Limits.checkTopicName(topic, "topic");
            Limits.checkPayload(payload.length(), "payload for '" + topic + "'");
            Limits.checkQos(qos, "QoS");
            return qos == 0 ? publishAtMostOnce(topic, payload, retain) : publishAtLeastOnce(topic, payload, retain);
        });
    }

    /**
     * Sends DISCONNECT, closes the WebSocket and closes the client for good: the broker discards the will
     * (MQTT 3.1.1 section 3.14.4), pending operations fail with {@link ConnectionLost}, and the close handler runs.
     * Completes when the WebSocket is closed; a client already closed completes at once.
     */
    public Future<Void> disconnect() {
        return onContext(() -> {
            if (state == State.CLOSED) {
                return Future.succeededFuture();
            }
            Connection current = connection;
            if (current != null && current.established) {
                current.send(MqttMessageBuilders.disconnect().build());
                current.flush();
            }
            return closeForGood(new ConnectionLost("The client disconnected"));
        });
    }

    /** Whether CONNACK accepted the current connection and it has not ended; read on the client's context. */
    public boolean isConnected() {
        Connection current = connection;
        return current != null && current.established;
    }

    /** QoS 1 publishes sent and awaiting PUBACK; read on the client's context. */
    public int inFlightCount() {
        return inFlight.size();
    }

    private Future<Void> publishAtMostOnce(String topic, Buffer payload, boolean retain) {
        Connection current = requireConnected("publish at QoS 0");
        if (current.webSocket.writeQueueFull()) {
            throw new MqttLimitExceeded("QoS 0 publish to '" + topic + "' refused: the WebSocket write queue is "
                    + "full because the broker reads slower than messages are published; retry later or use QoS 1");
        }
        MqttPublishMessage packet = MqttMessageBuilders.publish()
                .topicName(topic)
                .qos(MqttQoS.AT_MOST_ONCE)
                .retained(retain)
                .payload(Unpooled.wrappedBuffer(payload.getBytes()))
                .build();
        return current.sendAndTrackWrite(packet);
    }

    private Future<Void> publishAtLeastOnce(String topic, Buffer payload, boolean retain) {
        boolean connected = isConnected();
        if (!connected && state != State.RECONNECTING) {
            throw new ConnectionLost("QoS 1 publish to '" + topic + "' refused: the client is "
                    + state.description);
        }
        // One copy, so that the caller may reuse its buffer; re-sends after a reconnect share it.
        ByteBuf copy = Unpooled.wrappedBuffer(payload.getBytes());
        OutgoingPublish publish = new OutgoingPublish(topic, copy, retain, context.promise());
        if (connected && queued.isEmpty() && inFlight.size() < options.maxInFlight()) {
            sendInFlight(connection, publish, false);
        } else if (queued.size() < options.maxQueuedPublishes()) {
            queued.add(publish);
        } else {
            throw new MqttLimitExceeded("QoS 1 publish to '" + topic + "' refused: " + inFlight.size()
                    + " publishes await PUBACK (maxInFlight " + options.maxInFlight() + ") and " + queued.size()
                    + " more are queued (maxQueuedPublishes " + options.maxQueuedPublishes()
                    + "); wait for earlier publishes to complete");
        }
        return publish.promise.future();
    }

    private void sendInFlight(Connection current, OutgoingPublish publish, boolean duplicate) {
        if (!duplicate) {
            publish.packetId = nextPacketId();
            inFlight.put(publish.packetId, publish);
        }
        // MQTT 3.1.1 section 3.3.1.1: DUP marks a re-delivery attempt; section 4.4: re-sent with the same id.
        MqttFixedHeader header = new MqttFixedHeader(MqttMessageType.PUBLISH, duplicate, MqttQoS.AT_LEAST_ONCE,
                publish.retain, 0);
        MqttPublishVariableHeader variableHeader = new MqttPublishVariableHeader(publish.topic, publish.packetId);
        // The encoder releases what it encodes; a retained duplicate leaves the payload for a re-send.
        current.send(new MqttPublishMessage(header, variableHeader, publish.payload.retainedDuplicate()));
    }

    private void drainQueue() {
        while (isConnected() && !queued.isEmpty() && inFlight.size() < options.maxInFlight()) {
            sendInFlight(connection, queued.poll(), false);
        }
    }

    private void sendSubscribe(Connection current, String topicFilter, int qos, Promise<Integer> promise) {
        int packetId = nextPacketId();
        pendingSubscribes.put(packetId, new PendingSubscribe(topicFilter, qos, promise));
        current.send(MqttMessageBuilders.subscribe()
                .addSubscription(MqttQoS.valueOf(qos), topicFilter)
                .messageId(packetId)
                .build());
    }

    /** One connection attempt: a URL from the supplier, the WebSocket upgrade, CONNECT, CONNACK. */
    private Future<Boolean> attempt() {
        Future<String> url;
        try {
            url = urlSupplier.get();
        } catch (RuntimeException e) {
            url = Future.failedFuture(e);
        }
        return url
                .compose(this::openWebSocket)
                .compose(this::sendConnect);
    }

    private Future<WebSocket> openWebSocket(String url) {
        WebSocketTarget target = WebSocketTarget.parse(url);
        WebSocketConnectOptions connectOptions = new WebSocketConnectOptions()
                .setHost(target.host())
                .setPort(target.port())
                .setSsl(target.secure())
                .setURI(target.requestTarget())
                .setConnectTimeout(options.connectTimeout().toMillis())
                .setTimeout(options.connectTimeout().toMillis())
                .addSubProtocol(SUBPROTOCOL);
        LOG.debug("{} opening WebSocket to {}", options.clientId(), WebSocketTarget.redact(url));
        return webSocketClient.connect(connectOptions)
                .recover(failure -> Future.failedFuture(new ConnectionLost("WebSocket upgrade to "
                        + WebSocketTarget.redact(url) + " failed: " + failure.getMessage(), failure)));
    }

    private Future<Boolean> sendConnect(WebSocket webSocket) {
        if (state == State.CLOSED) {
            webSocket.close();
            return Future.failedFuture(new ConnectionLost("The client was closed while connecting"));
        }
        Connection current = new Connection(webSocket);
        connection = current;
        MqttMessageBuilders.ConnectBuilder connect = MqttMessageBuilders.connect()
                .protocolVersion(MqttVersion.MQTT_3_1_1)
                .clientId(options.clientId())
                .cleanSession(options.cleanSession())
                .keepAlive(options.keepAliveSeconds());
        options.will().ifPresent(will -> connect
                .willFlag(true)
                .willTopic(will.topic())
                .willMessage(will.payload().getBytes())
                .willQoS(MqttQoS.valueOf(will.qos()))
                .willRetain(will.retain()));
        options.username().ifPresent(username -> connect
                .hasUser(true)
                .username(username));
        options.password().ifPresent(password -> connect
                .hasPassword(true)
                .password(password.getBytes(StandardCharsets.UTF_8)));
        current.send(connect.build());
        current.connectTimer = vertx.setTimer(options.connectTimeout().toMillis(), id -> current.lost(
                new ConnectionLost("No CONNACK within " + options.connectTimeout().toMillis() + " ms of CONNECT")));
        return current.connAck.future();
    }

    private void onConnAck(Connection current, MqttConnAckMessage connAck) {
        vertx.cancelTimer(current.connectTimer);
        MqttConnectReturnCode code = connAck.variableHeader().connectReturnCode();
        if (code != MqttConnectReturnCode.CONNECTION_ACCEPTED) {
            current.lost(new ConnectionRefused(Byte.toUnsignedInt(code.byteValue()), code.name()));
            return;
        }
        boolean sessionPresent = connAck.variableHeader().isSessionPresent();
        current.established = true;
        current.scheduleKeepAlive(options.keepAliveSeconds() * 1000L);
        LOG.info("{} connected, session present: {}", options.clientId(), sessionPresent);

        if (!sessionPresent) {
            resubscribe(current);
        }
        // MQTT 3.1.1 section 4.4: unacknowledged PUBLISH packets are re-sent, in order, with DUP set.
        for (OutgoingPublish publish : inFlight.values()) {
            sendInFlight(current, publish, true);
        }
        drainQueue();
        current.connAck.tryComplete(sessionPresent);
    }

    private void resubscribe(Connection current) {
        List<Map.Entry<String, Integer>> held = new ArrayList<>(subscriptions.entrySet());
        subscriptions.clear();
        for (Map.Entry<String, Integer> subscription : held) {
            Promise<Integer> promise = context.promise();
            promise.future()
                    .onFailure(failure -> exceptionHandler.handle(failure));
            sendSubscribe(current, subscription.getKey(), subscription.getValue(), promise);
        }
    }

    private void onPacket(Connection current, MqttMessage packet) {
        if (packet.decoderResult().isFailure()) {
            current.lost(new ConnectionLost("The broker sent a packet that is not MQTT 3.1.1: "
                    + packet.decoderResult().cause().getMessage(), packet.decoderResult().cause()));
            return;
        }
        MqttMessageType type = packet.fixedHeader().messageType();
        if (!current.established && type != MqttMessageType.CONNACK) {
            // MQTT 3.1.1 section 3.2: the first packet from the server is CONNACK [MQTT-3.2.0-1].
            current.lost(new ConnectionLost("The broker sent " + type + " before CONNACK"));
            return;
        }
        switch (type) {
            case CONNACK -> onConnAck(current, (MqttConnAckMessage) packet);
            case PUBLISH -> onPublish(current, (MqttPublishMessage) packet);
            case PUBACK -> onPubAck(((MqttMessageIdVariableHeader) packet.variableHeader()).messageId());
            case SUBACK -> onSubAck((MqttSubAckMessage) packet);
            case UNSUBACK -> onUnsubAck(((MqttMessageIdVariableHeader) packet.variableHeader()).messageId());
            case PINGRESP -> current.pingAnswered();
            default -> current.lost(new ConnectionLost("The broker sent " + type + ", which a client never gets "
                    + "at QoS 0 and 1"));
        }
    }

    private void onPublish(Connection current, MqttPublishMessage packet) {
        MqttFixedHeader header = packet.fixedHeader();
        int qos = header.qosLevel().value();
        if (qos > 1) {
            current.lost(new ConnectionLost("The broker sent a QoS " + qos + " PUBLISH; only 0 and 1 were asked"));
            return;
        }
        MqttReceivedMessage message = new MqttReceivedMessage(packet.variableHeader().topicName(),
                Buffer.buffer(ByteBufUtil.getBytes(packet.payload())), qos, header.isDup(), header.isRetain());
        try {
            messageHandler.handle(message);
        } catch (RuntimeException e) {
            // Reported once, to the exception handler; the message is still acknowledged, as it was delivered.
            exceptionHandler.handle(e);
        }
        if (qos == 1) {
            // MQTT 3.1.1 section 4.3.2: PUBACK with the packet id, sent once the handler has taken the message.
            current.send(MqttMessageBuilders.pubAck()
                    .packetId(packet.variableHeader().packetId())
                    .build());
        }
    }

    private void onPubAck(int packetId) {
        OutgoingPublish publish = inFlight.remove(packetId);
        if (publish != null) {
            publish.promise.tryComplete();
        }
        drainQueue();
    }

    private void onSubAck(MqttSubAckMessage packet) {
        PendingSubscribe pending = pendingSubscribes.remove(packet.variableHeader().messageId());
        if (pending == null) {
            return;
        }
        List<Integer> codes = packet.payload().grantedQoSLevels();
        int code = codes.isEmpty() ? SUBACK_FAILURE : codes.get(0);
        if (code == SUBACK_FAILURE) {
            pending.promise.tryFail(new SubscriptionRefused(pending.topicFilter));
        } else {
            subscriptions.put(pending.topicFilter, pending.qos);
            pending.promise.tryComplete(code);
        }
    }

    private void onUnsubAck(int packetId) {
        PendingUnsubscribe pending = pendingUnsubscribes.remove(packetId);
        if (pending != null) {
            subscriptions.remove(pending.topicFilter);
            pending.promise.tryComplete();
        }
    }

    /** Called once for each connection when it ends, whatever ended it. */
    private void onConnectionEnded(Connection ended, Throwable cause) {
        if (ended != connection) {
            return;
        }
        connection = null;
        failPendingPackets(cause);
        if (!ended.established) {
            ended.connAck.tryFail(cause);
            return;
        }
        LOG.info("{} connection lost: {}", options.clientId(), cause.getMessage());
        if (state == State.CLOSED) {
            return;
        }
        exceptionHandler.handle(cause);
        if (state == State.CONNECTED && options.reconnect().isPresent()) {
            state = State.RECONNECTING;
            scheduleReconnect(1);
        } else {
            closeForGood(cause);
        }
    }

    private void scheduleReconnect(int attemptNumber) {
        ReconnectPolicy policy = options.reconnect().orElseThrow();
        long delayMillis = policy.delayBefore(attemptNumber, ThreadLocalRandom.current().nextDouble()).toMillis();
        LOG.info("{} reconnect attempt {} in {} ms", options.clientId(), attemptNumber, delayMillis);
        reconnectTimer = vertx.setTimer(delayMillis, id -> {
            reconnectTimer = -1;
            if (state != State.RECONNECTING) {
                return;
            }
            attempt()
                    .onSuccess(sessionPresent -> {
                        if (state == State.RECONNECTING) {
                            state = State.CONNECTED;
                            reconnectHandler.handle(sessionPresent);
                        }
                    })
                    .onFailure(failure -> {
                        if (state != State.RECONNECTING) {
                            return;
                        }
                        if (attemptNumber >= policy.maxAttempts()) {
                            closeForGood(new ConnectionLost("Gave up reconnecting after " + attemptNumber
                                    + " attempts", failure));
                        } else {
                            exceptionHandler.handle(failure);
                            scheduleReconnect(attemptNumber + 1);
                        }
                    });
        });
    }

    /** Closes the client for good; completes when the WebSocket, if any, is closed. */
    private Future<Void> closeForGood(Throwable cause) {
        if (state == State.CLOSED) {
            return Future.succeededFuture();
        }
        boolean wasOpen = state == State.CONNECTED || state == State.RECONNECTING;
        state = State.CLOSED;
        if (reconnectTimer >= 0) {
            vertx.cancelTimer(reconnectTimer);
        }
        Connection current = connection;
        connection = null;
        Future<Void> closed = Future.succeededFuture();
        if (current != null) {
            current.connAck.tryFail(cause);
            closed = current.close(cause);
        }
        failPendingPackets(cause);
        ConnectionLost lost = new ConnectionLost("The client closed before PUBACK: " + cause.getMessage(), cause);
        inFlight.values().forEach(publish -> publish.promise.tryFail(lost));
        inFlight.clear();
        queued.forEach(publish -> publish.promise.tryFail(lost));
        queued.clear();
        if (wasOpen) {
            closeHandler.handle(null);
        }
        // No grace period and no waiting: the WebSocket had its chance to close cleanly in Connection.close, and a
        // peer that stopped reading would hold up the client's shutdown as well.
        return closed
                .onComplete(done -> webSocketClient.shutdown(0, TimeUnit.SECONDS))
                .recover(failure -> Future.succeededFuture());
    }

    private void failPendingPackets(Throwable cause) {
        pendingSubscribes.values().forEach(pending -> pending.promise.tryFail(cause));
        pendingSubscribes.clear();
        pendingUnsubscribes.values().forEach(pending -> pending.promise.tryFail(cause));
        pendingUnsubscribes.clear();
    }

    private Connection requireConnected(String operation) {
        Connection current = connection;
        if (current == null || !current.established) {
            throw new ConnectionLost("Cannot " + operation + ": the client is " + state.description);
        }
        return current;
    }

    /** The next free packet id, 1 to 65535 (MQTT 3.1.1 section 2.3.1). */
    private int nextPacketId() {
        for (int tried = 0; tried < MAX_PACKET_ID; tried++) {
            lastPacketId = lastPacketId % MAX_PACKET_ID + 1;
            int id = lastPacketId;
            if (!inFlight.containsKey(id) && !pendingSubscribes.containsKey(id)
                    && !pendingUnsubscribes.containsKey(id)) {
                return id;
            }
        }
        throw new MqttLimitExceeded("All 65535 packet ids are in use");
    }

    /** Runs an operation on the client's context; a throw becomes a failed Future. */
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

    private enum State {
        NEW("not yet connected"),
        CONNECTING("connecting"),
        CONNECTED("connected"),
        RECONNECTING("reconnecting"),
        CLOSED("closed");

        private final String description;

        State(String description) {
            this.description = description;
        }
    }

    private record PendingSubscribe(String topicFilter, int qos, Promise<Integer> promise) {
    }

    private record PendingUnsubscribe(String topicFilter, Promise<Void> promise) {
    }

    /** A QoS 1 publish from the call until PUBACK; the packet id is set when it is first sent. */
    private static final class OutgoingPublish {
        private final String topic;
        private final ByteBuf payload;
        private final boolean retain;
        private final Promise<Void> promise;
        private int packetId;

        private OutgoingPublish(String topic, ByteBuf payload, boolean retain, Promise<Void> promise) {
            this.topic = topic;
            this.payload = payload;
            this.retain = retain;
            this.promise = promise;
        }
    }

    /**
     * One WebSocket and its MQTT state: the codec, the write batch, the keep-alive timers. A client has at most
     * one; a new one is made for each attempt.
     */
    private final class Connection {
        private final WebSocket webSocket;
        private final MqttPacketCodec codec = new MqttPacketCodec(MAX_INCOMING_PACKET_BYTES);
        private final Promise<Boolean> connAck = context.promise();
        private boolean established;
        private boolean ended;
        private Buffer batch;
        private List<Promise<Void>> batchWrites;
        private long lastSentNanos = System.nanoTime();
        private long connectTimer = -1;
        private long keepAliveTimer = -1;
        private long pingTimer = -1;

        private Connection(WebSocket webSocket) {
            this.webSocket = webSocket;
            webSocket.frameHandler(this::onFrame);
            webSocket.exceptionHandler(failure -> lost(new ConnectionLost("WebSocket failed: "
                    + failure.getMessage(), failure)));
            webSocket.closeHandler(nothing -> lost(new ConnectionLost("The WebSocket closed")));
        }

        private void onFrame(WebSocketFrame frame) {
            if (ended) {
                return;
            }
            if (frame.isText()) {
                // MQTT 3.1.1 section 6: MQTT travels in binary frames only [MQTT-6.0.0-1].
                lost(new ConnectionLost("The broker sent a text frame; MQTT over WebSocket uses binary frames"));
                return;
            }
            if (frame.isBinary() || frame.isContinuation()) {
                codec.decode(frame.binaryData(), packet -> {
                    if (!ended) {
                        onPacket(this, packet);
                    }
                });
            }
        }

        /** Adds a packet to this turn's batch; the batch goes out as one WebSocket message at the end of it. */
        private void send(MqttMessage packet) {
            if (ended) {
                return;
            }
            Buffer encoded = codec.encode(packet);
            if (batch == null) {
                batch = encoded;
                context.runOnContext(nothing -> flush());
            } else {
                batch.appendBuffer(encoded);
            }
        }

        private Future<Void> sendAndTrackWrite(MqttMessage packet) {
            Promise<Void> written = context.promise();
            send(packet);
            if (batchWrites == null) {
                batchWrites = new ArrayList<>();
            }
            batchWrites.add(written);
            return written.future();
        }

        private void flush() {
            if (batch == null || ended) {
                return;
            }
            Buffer message = batch;
            List<Promise<Void>> writes = batchWrites;
            batch = null;
            batchWrites = null;
            lastSentNanos = System.nanoTime();
            Future<Void> write = writeMessage(message);
            if (writes != null) {
                write.onComplete(result -> writes.forEach(promise -> promise.tryComplete()), failure ->
                        writes.forEach(promise -> promise.tryFail(new ConnectionLost("QoS 0 publish not written: "
                                + failure.getMessage(), failure))));
            }
        }

        /**
         * Writes one WebSocket message: a single binary frame, or a binary frame and continuation frames of at most
         * maxFrameBytes each (RFC 6455 section 5.4).
         */
        private Future<Void> writeMessage(Buffer message) {
            int frameBytes = options.maxFrameBytes();
            if (message.length() <= frameBytes) {
                return webSocket.writeFrame(WebSocketFrame.binaryFrame(message, true));
            }
            Future<Void> last = null;
            for (int start = 0; start < message.length(); start += frameBytes) {
                int end = Math.min(start + frameBytes, message.length());
                Buffer part = message.getBuffer(start, end);
                boolean fin = end == message.length();
                last = webSocket.writeFrame(start == 0
                        ? WebSocketFrame.binaryFrame(part, fin)
                        : WebSocketFrame.continuationFrame(part, fin));
            }
            return last;
        }

        /** MQTT 3.1.1 section 3.1.2.10: send PINGREQ when nothing was sent for the keep-alive interval. */
        private void scheduleKeepAlive(long delayMillis) {
            if (options.keepAliveSeconds() == 0 || ended) {
                return;
            }
            keepAliveTimer = vertx.setTimer(Math.max(1, delayMillis), id -> {
                long intervalNanos = TimeUnit.SECONDS.toNanos(options.keepAliveSeconds());
                long idleNanos = System.nanoTime() - lastSentNanos;
                if (idleNanos >= intervalNanos) {
                    if (pingTimer < 0) {
                        send(new MqttMessage(new MqttFixedHeader(MqttMessageType.PINGREQ, false,
                                MqttQoS.AT_MOST_ONCE, false, 0)));
                        pingTimer = vertx.setTimer(options.pingResponseTimeout().toMillis(), ping -> lost(
                                new ConnectionLost("No PINGRESP within " + options.pingResponseTimeout().toMillis()
                                        + " ms of PINGREQ; the connection is dead")));
                    }
                    scheduleKeepAlive(TimeUnit.SECONDS.toMillis(options.keepAliveSeconds()));
                } else {
                    scheduleKeepAlive(TimeUnit.NANOSECONDS.toMillis(intervalNanos - idleNanos));
                }
            });
        }

        private void pingAnswered() {
            if (pingTimer >= 0) {
                vertx.cancelTimer(pingTimer);
                pingTimer = -1;
            }
        }

        private void stopTimers() {
            vertx.cancelTimer(connectTimer);
            vertx.cancelTimer(keepAliveTimer);
            vertx.cancelTimer(pingTimer);
        }

        /** Ends this connection: closes the WebSocket and reports the cause once. */
        private void lost(Throwable cause) {
            if (ended) {
                return;
            }
            close(cause);
            onConnectionEnded(this, cause);
        }

        private Future<Void> close(Throwable cause) {
            if (ended) {
                return Future.succeededFuture();
            }
            ended = true;
            stopTimers();
            codec.close();
            batch = null;
            if (batchWrites != null) {
                batchWrites.forEach(promise -> promise.tryFail(cause));
                batchWrites = null;
            }
            // A peer that stopped reading never completes the closing handshake (RFC 6455 section 7.1.1); after
            // the connect timeout the WebSocket is abandoned, and closing the WebSocket client drops it.
            Promise<Void> closed = context.promise();
            long giveUp = vertx.setTimer(options.connectTimeout().toMillis(), id -> closed.tryComplete());
            webSocket.close()
                    .onComplete(result -> {
                        vertx.cancelTimer(giveUp);
                        closed.tryComplete();
                    });
            return closed.future();
        }
    }
}
