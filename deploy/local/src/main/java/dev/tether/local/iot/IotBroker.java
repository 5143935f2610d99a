package dev.tether.local.iot;

import dev.tether.IotLimits;
import dev.tether.local.iam.Decision;
import dev.tether.local.iam.Identity;
import dev.tether.local.iam.IdentityStore;
import dev.tether.local.rules.TopicRules;
import dev.tether.sigv4.MqttUrlPresigner;
import dev.tether.sigv4.SigV4Verifier;
import dev.tether.sigv4.Verification;
import dev.tether.topic.TopicInvalid;
import dev.tether.topic.Topics;
import io.netty.handler.codec.mqtt.MqttConnectReturnCode;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.mqtt.MqttEndpoint;
import io.vertx.mqtt.MqttServer;
import io.vertx.mqtt.MqttServerOptions;
import io.vertx.mqtt.MqttTopicSubscription;
import io.vertx.mqtt.messages.MqttPublishMessage;
import io.vertx.mqtt.messages.MqttSubscribeMessage;
import io.vertx.mqtt.messages.MqttUnsubscribeMessage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * The local stand-in for AWS IoT Core's message broker: MQTT 3.1.1 over WebSocket at {@code /mqtt}, authenticated
 * by SigV4 presigned URLs and authorized by the IAM policies of the signing identity, with AWS IoT Core's limits and
 * behaviour (AWS IoT developer guide, "MQTT" and "AWS IoT Core message broker and protocol limits and quotas").
 *
 * <ul>
 *   <li>CONNECT: the presigned query is verified ({@link SigV4Verifier}, service {@code iotdevicegateway}) and
 *   iot:Connect is checked on {@code client/<clientId>}; a refusal answers CONNACK "not authorized" and closes. A
 *   second connection with a client id in use takes over: the older one is closed.</li>
 *   <li>SUBSCRIBE: each filter is checked (syntax, 256 bytes, 7 slashes, at most 8 per SUBSCRIBE and 50 per
 *   connection, iot:Subscribe on {@code topicfilter/<filter>}); a refused filter gets 0x80 in SUBACK.</li>
 *   <li>PUBLISH: a topic or payload beyond the limits, QoS 2, a reserved {@code $aws/events/} topic or a denied
 *   iot:Publish (iot:RetainPublish for retained messages) closes the connection, as AWS IoT Core does.</li>
 *   <li>Delivery: iot:Receive on {@code topic/<topic>} is checked per subscriber; QoS 1 messages wait for PUBACK,
 *   at most 100 in flight, and are sent again, marked DUP, when a persistent session reconnects.</li>
 *   <li>Retained messages go to new subscriptions without wildcards only, as AWS IoT Core does.</li>
 *   <li>Presence events on {@code $aws/events/presence/connected|disconnected/<clientId>}.</li>
 *   <li>Every routed message is offered to the {@link TopicRules}.</li>
 * </ul>
 *
 * <p>Threading: all state lives on the context that called {@link #start()}; every handler runs there and none
 * blocks. {@link #publish(Message)} may be called from any thread.
 */
public final class IotBroker {
    /** The topic prefix AWS IoT Core reserves for its own events; clients may not publish there. */
    public static final String EVENTS_PREFIX = "$aws/events/";

    private static final Logger LOG = LoggerFactory.getLogger(IotBroker.class);
    private static final String PRESENCE_PREFIX = "$aws/events/presence/";
    private static final int MQTT_3_1 = 3;
    private static final int MQTT_3_1_1 = 4;
    private static final long SESSION_SWEEP_MILLIS = 60_000;

    private final Vertx vertx;
    private final BrokerSettings settings;
    private final IdentityStore identities;
    private final TopicRules rules;
    private final Clock clock;
    private final IotArns arns;
    private final SigV4Verifier verifier;
    private final WebSocketFront front;
    private final Map<String, Session> sessions = new HashMap<>();
    private final Map<String, Long> presenceVersions = new HashMap<>();
    private final Map<String, Message> retained = new HashMap<>();
    private final SubscriptionIndex index = new SubscriptionIndex();
    private MqttServer mqttServer;
    private Context context;
    private int port;
    private long sweepTimer = -1;

    /**
     * @param vertx the Vert.x instance
     * @param settings where and how to run
     * @param identities the access keys that may connect
     * @param rules the topic rules each routed message is offered to
     * @param clock the time presigned URLs, sessions and presence events are judged by
     */
    public IotBroker(Vertx vertx, BrokerSettings settings, IdentityStore identities, TopicRules rules, Clock clock) {
        this.vertx = Objects.requireNonNull(vertx, "vertx");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.identities = Objects.requireNonNull(identities, "identities");
        this.rules = Objects.requireNonNull(rules, "rules");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.arns = new IotArns(settings.region(), settings.accountId());
        this.verifier = SigV4Verifier.builder()
                .credentials(identities::credentials)
                .region(settings.region())
                .service(MqttUrlPresigner.SERVICE)
                .clock(clock)
                .maxDateSkew(settings.maxDateSkew())
                .build();
        this.front = new WebSocketFront(vertx, settings.minKeepAliveSeconds());
    }

    /**
     * Starts the MQTT server on a loopback port and the WebSocket front on the configured one; call on the context
     * that is to own the broker's state.
     *
     * @return the WebSocket port, once both listen
     */
    public Future<Integer> start() {
        context = vertx.getOrCreateContext();
        // The payload limit is checked per PUBLISH so that the refusal is logged; the decoder only needs room.
        int maxMessageBytes = IotLimits.MAX_PAYLOAD_BYTES * 2;
        MqttServerOptions options = new MqttServerOptions()
                .setMaxMessageSize(maxMessageBytes)
                // Long ids reach the handler so that the refusal can say what AWS IoT Core allows.
                .setMaxClientIdLength(65_535)
                .setAutoClientId(false);
        options.setHost("127.0.0.1")
                .setPort(0)
                .setTcpNoDelay(true);
        mqttServer = MqttServer.create(vertx, options);
        mqttServer.endpointHandler(this::connect);
        return mqttServer.listen()
                .compose(server -> front.listen(settings.host(), settings.port(), server.actualPort(),
                        maxMessageBytes + 1024))
                .map(frontPort -> {
                    port = frontPort;
                    sweepTimer = vertx.setPeriodic(SESSION_SWEEP_MILLIS, id -> sweepExpiredSessions());
                    LOG.info("IoT Core stand-in listening on ws://{}:{}/mqtt (region {})", settings.host(), port,
                            settings.region());
                    return port;
                });
    }

    /** The WebSocket port, once started. */
    public int port() {
        return port;
    }

    /** The ARNs of this broker's region and account. */
    public IotArns arns() {
        return arns;
    }

    /**
     * Routes a message that was authorized elsewhere, such as by the data plane: to subscribers (each checked for
     * iot:Receive), to retained messages, and to the topic rules. May be called from any thread.
     *
     * @return completes once routed
     */
    public Future<Void> publish(Message message) {
        Objects.requireNonNull(message, "message");
        Promise<Void> routed = Promise.promise();
        context.runOnContext(v -> {
            route(message);
            routed.complete();
        });
        return routed.future();
    }

    /** Closes every connection and both servers. */
    public Future<Void> close() {
        if (sweepTimer >= 0) {
            vertx.cancelTimer(sweepTimer);
        }
        Future<Void> mqttClosed = mqttServer == null ? Future.succeededFuture() : mqttServer.close();
        return Future.all(mqttClosed, front.close()).mapEmpty();
    }

    private void connect(MqttEndpoint endpoint) {
        Optional<UpgradeRequest> upgrade = front.claim(endpoint.remoteAddress().port());
        String clientId = endpoint.clientIdentifier();
        if (upgrade.isEmpty()) {
            LOG.warn("client {}: refused, the connection did not come through the WebSocket endpoint", clientId);
            endpoint.reject(MqttConnectReturnCode.CONNECTION_REFUSED_NOT_AUTHORIZED);
            return;
        }
        if (endpoint.protocolVersion() != MQTT_3_1_1 && endpoint.protocolVersion() != MQTT_3_1) {
            LOG.info("client {}: refused MQTT protocol level {}; this stand-in speaks MQTT 3.1.1", clientId,
                    endpoint.protocolVersion());
            endpoint.reject(MqttConnectReturnCode.CONNECTION_REFUSED_UNACCEPTABLE_PROTOCOL_VERSION);
            return;
        }
        int clientIdBytes = clientId == null ? 0 : clientId.getBytes(StandardCharsets.UTF_8).length;
        if (clientIdBytes == 0 || clientIdBytes > IotLimits.MAX_CLIENT_ID_BYTES) {
            LOG.info("refused a client id of {} UTF-8 bytes; AWS IoT Core allows 1 to {}", clientIdBytes,
                    IotLimits.MAX_CLIENT_ID_BYTES);
            endpoint.reject(MqttConnectReturnCode.CONNECTION_REFUSED_IDENTIFIER_REJECTED);
            return;
        }

        UpgradeRequest request = upgrade.get();
        Verification verification = verifier.verifyPresignedUrl(request.rawPath(), request.rawQuery(),
                request.host());
        if (verification instanceof Verification.Refused refused) {
            LOG.info("client {}: refused, presigned URL {}: {}", clientId, refused.reason(), refused.message());
            endpoint.reject(MqttConnectReturnCode.CONNECTION_REFUSED_NOT_AUTHORIZED);
            return;
        }
        String accessKeyId = ((Verification.Accepted) verification).accessKeyId();
        Optional<Identity> identity = identities.find(accessKeyId);
        if (identity.isEmpty()) {
            LOG.info("client {}: refused, access key {} expired while connecting", clientId, accessKeyId);
            endpoint.reject(MqttConnectReturnCode.CONNECTION_REFUSED_NOT_AUTHORIZED);
            return;
        }
        Decision decision = identity.get().permissions().evaluate("iot:Connect", arns.client(clientId),
                Map.of("iot:ClientId", clientId));
        if (!decision.isAllowed()) {
            LOG.info("client {}: refused, key {} may not iot:Connect as this client id ({})", clientId,
                    accessKeyId, decision);
            endpoint.reject(MqttConnectReturnCode.CONNECTION_REFUSED_NOT_AUTHORIZED);
            return;
        }
        accept(endpoint, identity.get(), request);
    }

    private void accept(MqttEndpoint endpoint, Identity identity, UpgradeRequest request) {
        String clientId = endpoint.clientIdentifier();
        Session existing = sessions.get(clientId);
        if (existing != null) {
            boolean expired = existing.connection.isEmpty() && isExpired(existing);
            // AWS IoT Core: a new connection with a client id in use disconnects the older one.
            existing.connection.ifPresent(old -> {
                LOG.info("client {}: a new connection takes over from the current one", clientId);
                old.closeFor("DUPLICATE_CLIENTID");
            });
            existing.connection = Optional.empty();
            if (endpoint.isCleanSession() || !existing.persistent || expired) {
                discard(existing);
                existing = null;
            }
        }
        boolean sessionPresent = existing != null;
        Session session = sessionPresent ? existing : new Session(clientId);
        session.persistent = !endpoint.isCleanSession();
        sessions.put(clientId, session);

        long version = presenceVersions.merge(clientId, 1L, Long::sum);
        BrokerConnection connection = new BrokerConnection(endpoint, identity, session, UUID.randomUUID().toString(),
                request.remoteAddress(), version, keepAliveTimeoutMillis(endpoint.keepAliveTimeSeconds()));
        session.connection = Optional.of(connection);

        endpoint.publishAutoAck(false);
        endpoint.subscriptionAutoAck(false);
        endpoint.publishHandler(message -> onPublish(connection, message));
        endpoint.subscribeHandler(message -> onSubscribe(connection, message));
        endpoint.unsubscribeHandler(message -> onUnsubscribe(connection, message));
        endpoint.publishAcknowledgeHandler(packetId -> onPuback(connection, packetId));
        endpoint.pingHandler(v -> connection.touch());
        endpoint.disconnectHandler(v -> connection.clientInitiatedDisconnect = true);
        endpoint.exceptionHandler(e -> LOG.debug("client {}: connection error {}", clientId, e.toString()));
        endpoint.closeHandler(v -> onClose(connection));
        endpoint.accept(sessionPresent);
        scheduleKeepAliveCheck(connection, connection.keepAliveTimeoutMillis);
        LOG.info("client {}: connected with key {} (clean session {}, session present {})", clientId,
                identity.accessKeyId(), endpoint.isCleanSession(), sessionPresent);

        route(presence(connection, "connected"));
        for (Map.Entry<Integer, Message> unacknowledged : List.copyOf(session.inFlight.entrySet())) {
            // MQTT 3.1.1, 4.4: unacknowledged PUBLISH packets are sent again, with DUP set, on reconnect.
            Message message = unacknowledged.getValue();
            endpoint.publish(message.topic(), message.payload(), MqttQoS.AT_LEAST_ONCE, true, message.retain(),
                    unacknowledged.getKey());
        }
        drain(connection);
    }

    /**
     * AWS IoT Core accepts keep-alive values from 30 to 1200 seconds, raising smaller ones and lowering larger
     * ones, and disconnects after 1.5 times the value without a packet (AWS IoT developer guide, "MQTT").
     */
    private long keepAliveTimeoutMillis(int requestedSeconds) {
        int seconds = requestedSeconds == 0 ? IotLimits.MAX_KEEP_ALIVE_SECONDS : requestedSeconds;
        seconds = Math.max(settings.minKeepAliveSeconds(), Math.min(IotLimits.MAX_KEEP_ALIVE_SECONDS, seconds));
        return seconds * 1500L;
    }

    private void scheduleKeepAliveCheck(BrokerConnection connection, long delayMillis) {
        connection.keepAliveTimer = vertx.setTimer(Math.max(1, delayMillis), id -> {
            long idleMillis = (System.nanoTime() - connection.lastActivityNanos) / 1_000_000;
            if (idleMillis >= connection.keepAliveTimeoutMillis) {
                LOG.info("client {}: no packet for {} ms, keep-alive expired", connection.clientId(), idleMillis);
                connection.closeFor("MQTT_KEEP_ALIVE_TIMEOUT");
            } else {
                scheduleKeepAliveCheck(connection, connection.keepAliveTimeoutMillis - idleMillis);
            }
        });
    }

    private void onPublish(BrokerConnection connection, MqttPublishMessage message) {
        connection.touch();
        String clientId = connection.clientId();
        String topic = message.topicName();
        int qos = message.qosLevel().value();
        if (qos > 1) {
            LOG.info("client {}: closed, it published with QoS {}; AWS IoT Core supports 0 and 1", clientId, qos);
            connection.closeFor("CLIENT_ERROR");
            return;
        }
        try {
            Topics.validateTopicName(topic);
        } catch (TopicInvalid e) {
            LOG.info("client {}: closed, it published to an invalid topic: {}", clientId, e.getMessage());
            connection.closeFor("CLIENT_ERROR");
            return;
        }
        if (message.payload().length() > IotLimits.MAX_PAYLOAD_BYTES) {
            LOG.info("client {}: closed, it published {} bytes to {}; AWS IoT Core allows at most {}", clientId,
                    message.payload().length(), topic, IotLimits.MAX_PAYLOAD_BYTES);
            connection.closeFor("CLIENT_ERROR");
            return;
        }
        if (topic.startsWith(EVENTS_PREFIX)) {
            LOG.info("client {}: closed, it published to the reserved topic {}", clientId, topic);
            connection.closeFor("FORBIDDEN_ACCESS");
            return;
        }
        if (!allowed(connection, "iot:Publish", arns.topic(topic))
                || message.isRetain() && !allowed(connection, "iot:RetainPublish", arns.topic(topic))) {
            // AWS IoT Core disconnects a client that publishes where its policy does not allow.
            connection.closeFor("FORBIDDEN_ACCESS");
            return;
        }
        route(new Message(topic, message.payload(), qos, message.isRetain()));
        if (qos == 1) {
            connection.endpoint.publishAcknowledge(message.messageId());
        }
    }

    private void onSubscribe(BrokerConnection connection, MqttSubscribeMessage message) {
        connection.touch();
        Session session = connection.session;
        List<MqttTopicSubscription> requested = message.topicSubscriptions();
        boolean tooMany = requested.size() > IotLimits.MAX_FILTERS_PER_SUBSCRIBE;
        if (tooMany) {
            LOG.info("client {}: refused a SUBSCRIBE of {} filters; AWS IoT Core allows at most {}",
                    connection.clientId(), requested.size(), IotLimits.MAX_FILTERS_PER_SUBSCRIBE);
        }
        List<MqttQoS> granted = new ArrayList<>(requested.size());
        List<String> newFilters = new ArrayList<>();
        for (MqttTopicSubscription subscription : requested) {
            String filter = subscription.topicName();
            Optional<String> problem = TopicFilters.problem(filter);
            boolean full = !session.subscriptions.containsKey(filter)
                    && session.subscriptions.size() >= IotLimits.MAX_SUBSCRIPTIONS_PER_CONNECTION;
            if (problem.isPresent()) {
                LOG.info("client {}: refused filter {}: {}", connection.clientId(), filter, problem.get());
            } else if (full) {
                LOG.info("client {}: refused filter {}: it holds {} subscriptions, AWS IoT Core allows at most {}",
                        connection.clientId(), filter, session.subscriptions.size(),
                        IotLimits.MAX_SUBSCRIPTIONS_PER_CONNECTION);
            }
            if (tooMany || problem.isPresent() || full
                    || !allowed(connection, "iot:Subscribe", arns.topicFilter(filter))) {
                granted.add(MqttQoS.FAILURE);
                continue;
            }
            // AWS IoT Core grants at most QoS 1.
            int qos = Math.min(1, subscription.qualityOfService().value());
            session.subscriptions.put(filter, qos);
            index.add(session, filter, qos);
            granted.add(MqttQoS.valueOf(qos));
            newFilters.add(filter);
        }
        connection.endpoint.subscribeAcknowledge(message.messageId(), granted);

        for (String filter : newFilters) {
            // AWS IoT Core sends retained messages only to subscriptions without wildcards.
            Message kept = TopicFilters.hasWildcard(filter) || filter.startsWith(TopicFilters.SHARE_PREFIX)
                    ? null : retained.get(filter);
            if (kept != null) {
                deliver(session, kept, session.subscriptions.get(filter), true);
            }
        }
    }

    private void onUnsubscribe(BrokerConnection connection, MqttUnsubscribeMessage message) {
        connection.touch();
        for (String filter : message.topics()) {
            if (connection.session.subscriptions.remove(filter) != null) {
                index.remove(connection.session, filter);
            }
        }
        connection.endpoint.unsubscribeAcknowledge(message.messageId());
    }

    private void onPuback(BrokerConnection connection, int packetId) {
        connection.touch();
        if (connection.session.connection.orElse(null) == connection) {
            connection.session.inFlight.remove(packetId);
            drain(connection);
        }
    }

    private void onClose(BrokerConnection connection) {
        vertx.cancelTimer(connection.keepAliveTimer);
        Session session = connection.session;
        String clientId = connection.clientId();
        if (!connection.clientInitiatedDisconnect) {
            publishWill(connection);
        }
        if (session.connection.orElse(null) == connection) {
            session.connection = Optional.empty();
            session.disconnectedAt = clock.instant();
            if (!session.persistent) {
                discard(session);
            }
        }
        String reason = connection.clientInitiatedDisconnect ? "CLIENT_INITIATED_DISCONNECT"
                : connection.disconnectReason.orElse("CONNECTION_LOST");
        LOG.info("client {}: disconnected ({})", clientId, reason);
        JsonObject event = presenceJson(connection, "disconnected")
                .put("clientInitiatedDisconnect", connection.clientInitiatedDisconnect)
                .put("disconnectReason", reason);
        route(new Message(PRESENCE_PREFIX + "disconnected/" + clientId, event.toBuffer(), 1, false));
    }

    private void publishWill(BrokerConnection connection) {
        var will = connection.endpoint.will();
        if (will == null || !will.isWillFlag() || will.getWillTopic() == null) {
            return;
        }
        String topic = will.getWillTopic();
        boolean valid;
        try {
            Topics.validateTopicName(topic);
            valid = !topic.startsWith(EVENTS_PREFIX);
        } catch (TopicInvalid e) {
            valid = false;
        }
        if (valid && allowed(connection, "iot:Publish", arns.topic(topic))) {
            Buffer payload = will.getWillMessage() == null ? Buffer.buffer() : will.getWillMessage();
            route(new Message(topic, payload, Math.min(1, will.getWillQos()), false));
        }
    }

    private boolean allowed(BrokerConnection connection, String action, String resource) {
        String key = action + ' ' + resource;
        Boolean known = connection.decisions.get(key);
        if (known != null) {
            return known;
        }
        Decision decision = connection.identity.permissions().evaluate(action, resource,
                connection.policyVariables);
        if (!decision.isAllowed()) {
            LOG.info("client {}: key {} is denied {} on {} ({})", connection.clientId(),
                    connection.identity.accessKeyId(), action, resource, decision);
        }
        connection.decisions.put(key, decision.isAllowed());
        return decision.isAllowed();
    }

    private void route(Message message) {
        if (message.retain()) {
            // MQTT 3.1.1, 3.3.1.3: a retained message with an empty payload removes the retained message.
            if (message.payload().length() == 0) {
                retained.remove(message.topic());
            } else {
                retained.put(message.topic(), message);
            }
        }
        for (SubscriptionIndex.Target target : index.match(message.topic())) {
            deliver(target.session(), message, target.qos(), false);
        }
        rules.dispatch(vertx, message.topic(), message.payload());
    }

    private void deliver(Session session, Message message, int grantedQos, boolean retainFlag) {
        int qos = Math.min(message.qos(), grantedQos);
        Message outgoing = new Message(message.topic(), message.payload(), qos, retainFlag);
        Optional<BrokerConnection> connection = session.connection.filter(BrokerConnection::isOpen);
        if (connection.isEmpty()) {
            if (session.persistent && qos == 1) {
                enqueue(session, outgoing);
            }
            return;
        }
        if (!allowed(connection.get(), "iot:Receive", arns.topic(message.topic()))) {
            return;
        }
        if (qos == 0) {
            connection.get().endpoint.publish(outgoing.topic(), outgoing.payload(), MqttQoS.AT_MOST_ONCE, false,
                    retainFlag);
        } else if (session.inFlight.size() < IotLimits.MAX_IN_FLIGHT_QOS1) {
            send(connection.get(), outgoing);
        } else {
            enqueue(session, outgoing);
        }
    }

    private void enqueue(Session session, Message message) {
        if (session.queued.size() >= settings.maxQueuedMessages()) {
            LOG.warn("client {}: dropped a QoS 1 message on {}, {} are already queued for it", session.clientId,
                    message.topic(), session.queued.size());
            return;
        }
        session.queued.add(message);
    }

    private void send(BrokerConnection connection, Message message) {
        int packetId = connection.session.nextPacketId();
        connection.session.inFlight.put(packetId, message);
        connection.endpoint.publish(message.topic(), message.payload(), MqttQoS.AT_LEAST_ONCE, false,
                message.retain(), packetId);
    }

    private void drain(BrokerConnection connection) {
        Session session = connection.session;
        while (connection.isOpen() && session.inFlight.size() < IotLimits.MAX_IN_FLIGHT_QOS1
                && !session.queued.isEmpty()) {
            Message message = session.queued.poll();
            if (allowed(connection, "iot:Receive", arns.topic(message.topic()))) {
                send(connection, message);
            }
        }
    }

    private void discard(Session session) {
        for (String filter : session.subscriptions.keySet()) {
            index.remove(session, filter);
        }
        session.subscriptions.clear();
        session.inFlight.clear();
        session.queued.clear();
        sessions.remove(session.clientId, session);
    }

    /** AWS IoT Core keeps a persistent session for a set time after its client disconnects (1 hour by default). */
    private boolean isExpired(Session session) {
        return session.disconnectedAt.plus(settings.persistentSessionExpiry()).isBefore(clock.instant());
    }

    private void sweepExpiredSessions() {
        List<Session> expired = new ArrayList<>();
        for (Session session : sessions.values()) {
            if (session.connection.isEmpty() && isExpired(session)) {
                expired.add(session);
            }
        }
        expired.forEach(this::discard);
    }

    private Message presence(BrokerConnection connection, String eventType) {
        return new Message(PRESENCE_PREFIX + eventType + '/' + connection.clientId(),
                presenceJson(connection, eventType).toBuffer(), 1, false);
    }

    /** The fields AWS IoT Core puts in every presence event (AWS IoT developer guide, "Lifecycle events"). */
    private JsonObject presenceJson(BrokerConnection connection, String eventType) {
        return new JsonObject()
                .put("clientId", connection.clientId())
                .put("timestamp", clock.millis())
                .put("eventType", eventType)
                .put("sessionIdentifier", connection.sessionIdentifier)
                .put("principalIdentifier", connection.identity.principal())
                .put("ipAddress", connection.remoteAddress)
                .put("versionNumber", connection.versionNumber);
    }
}
