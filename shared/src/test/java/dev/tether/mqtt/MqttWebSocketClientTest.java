package dev.tether.mqtt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tether.IotLimits;
import io.netty.handler.codec.mqtt.MqttConnectMessage;
import io.netty.handler.codec.mqtt.MqttConnectReturnCode;
import io.netty.handler.codec.mqtt.MqttMessageIdVariableHeader;
import io.netty.handler.codec.mqtt.MqttMessageBuilders;
import io.netty.handler.codec.mqtt.MqttMessageType;
import io.netty.handler.codec.mqtt.MqttPublishMessage;
import io.netty.handler.codec.mqtt.MqttSubscribeMessage;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.junit5.Checkpoint;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The client against a scripted peer on loopback: framing in both directions, acknowledgements, flow control,
 * keep-alive, refusals and reconnecting, each checked on the packets and frames that actually crossed the wire.
 */
@ExtendWith(VertxExtension.class)
class MqttWebSocketClientTest {
    /** How long "nothing happens" is watched for: long against loopback round trips of well under a millisecond. */
    private static final long QUIET_MILLIS = 300;

    private ScriptedBroker broker;
    private MqttWebSocketClient client;

    @BeforeEach
    void startBroker(Vertx vertx) throws Exception {
        broker = await(ScriptedBroker.start(vertx));
    }

    @AfterEach
    void stopAll() throws Exception {
        if (client != null) {
            await(client.disconnect());
        }
        await(broker.close());
    }

    @Test
    @DisplayName("A presigned URL's long query reaches the server byte for byte, with the mqtt subprotocol offered")
    void presignedUrlReachesServerVerbatim(Vertx vertx) throws Exception {
        String target = "/mqtt?X-Amz-Algorithm=AWS4-HMAC-SHA256"
                + "&X-Amz-Credential=ASIAEXAMPLEEXAMPLE%2F20261203%2Fus-east-1%2Fiotdevicegateway%2Faws4_request"
                + "&X-Amz-Date=20261203T190000Z&X-Amz-SignedHeaders=host"
                + "&X-Amz-Signature=" + "0123456789abcdef".repeat(4)
                + "&X-Amz-Security-Token=" + "IQoJb3JpZ2luX2VjE%2B%2F%3D%3D".repeat(40);

        client = MqttWebSocketClient.create(vertx, MqttClientOptions.of("verbatim"));
        await(client.connect(broker.url(target)));

        assertThat(broker.upgradeUris).containsExactly(target);
        assertThat(broker.offeredSubprotocols).containsExactly("mqtt");
    }

    @Test
    @DisplayName("A packet split over several frames and several packets in one frame all reach the handler in order")
    void incomingFramesAreReassembled(Vertx vertx, VertxTestContext test) throws Exception {
        List<String> received = new CopyOnWriteArrayList<>();
        Checkpoint allFour = test.checkpoint(4);
        client = MqttWebSocketClient.create(vertx, MqttClientOptions.of("reassembler"))
                .messageHandler(message -> {
                    received.add(message.topic() + "=" + message.payload().toString(StandardCharsets.UTF_8));
                    allFour.flag();
                });
        await(client.connect(broker.url()));

        byte[] large = "x".repeat(5000).getBytes(StandardCharsets.UTF_8);
        broker.sendSplit(ScriptedBroker.publish("a/split", 0, 0, large), 700);
        broker.sendInOneFrame(ScriptedBroker.publish("a/one", 0, 0, bytes("1")),
                ScriptedBroker.publish("a/two", 0, 0, bytes("2")),
                ScriptedBroker.publish("a/three", 0, 0, bytes("3")));

        assertThat(test.awaitCompletion(5, TimeUnit.SECONDS)).isTrue();
        assertThat(received).containsExactly("a/split=" + "x".repeat(5000), "a/one=1", "a/two=2", "a/three=3");
    }

    @Test
    @DisplayName("A PUBLISH longer than maxFrameBytes leaves as a binary frame and continuation frames")
    void outgoingPacketIsSplitIntoContinuationFrames(Vertx vertx, VertxTestContext test) throws Exception {
        byte[] payload = new byte[1000];
        Arrays.fill(payload, (byte) 7);
        broker.packetListener = packet -> {
            if (packet.fixedHeader().messageType() == MqttMessageType.PUBLISH) {
                test.verify(() -> {
                    assertThat(ScriptedBroker.payloadOf(packet)).isEqualTo(payload);
                    List<ScriptedBroker.Frame> publishFrames = broker.frames.subList(1, broker.frames.size());
                    assertThat(publishFrames).hasSizeGreaterThanOrEqualTo(10);
                    assertThat(publishFrames).allMatch(frame -> frame.length() <= 100);
                    assertThat(publishFrames.get(0).binary()).isTrue();
                    assertThat(publishFrames.subList(1, publishFrames.size()))
                            .allMatch(ScriptedBroker.Frame::continuation);
                    assertThat(publishFrames.get(publishFrames.size() - 1).fin()).isTrue();
                });
                test.completeNow();
            }
        };
        client = MqttWebSocketClient.create(vertx, MqttClientOptions.of("splitter").withMaxFrameBytes(100));
        await(client.connect(broker.url()));

        client.publish("a/b", Buffer.buffer(payload), 0, false);
    }

    @Test
    @DisplayName("Packets written in the same event-loop turn leave together in one frame")
    void packetsOfOneTurnShareAFrame(Vertx vertx, VertxTestContext test) throws Exception {
        Checkpoint threePublishes = test.checkpoint(3);
        broker.packetListener = packet -> {
            if (packet.fixedHeader().messageType() == MqttMessageType.PUBLISH) {
                threePublishes.flag();
            }
        };
        client = MqttWebSocketClient.create(vertx, MqttClientOptions.of("batcher"));
        await(client.connect(broker.url()));
        int framesBefore = broker.frames.size();

        vertx.runOnContext(nothing -> {
            client.publish("a/1", Buffer.buffer("one"), 0, false);
            client.publish("a/2", Buffer.buffer("two"), 0, false);
            client.publish("a/3", Buffer.buffer("three"), 0, false);
        });

        assertThat(test.awaitCompletion(5, TimeUnit.SECONDS)).isTrue();
        assertThat(broker.frames.size() - framesBefore).isEqualTo(1);
        assertThat(broker.packetsOfType(MqttMessageType.PUBLISH))
                .extracting(packet -> ((MqttPublishMessage) packet).variableHeader().topicName())
                .containsExactly("a/1", "a/2", "a/3");
    }

    @Test
    @DisplayName("A QoS 1 publish completes only once the broker sends PUBACK")
    void qos1PublishCompletesOnPubAck(Vertx vertx) throws Exception {
        broker.acknowledgePublishes = false;
        client = MqttWebSocketClient.create(vertx, MqttClientOptions.of("waiter"));
        await(client.connect(broker.url()));

        Future<Void> published = client.publish("a/b", Buffer.buffer("hello"), 1, false);
        await(delay(vertx, QUIET_MILLIS));
        assertThat(broker.packetsOfType(MqttMessageType.PUBLISH)).hasSize(1);
        assertThat(published.isComplete()).isFalse();

        int packetId = ((MqttPublishMessage) broker.packetsOfType(MqttMessageType.PUBLISH).get(0))
                .variableHeader().packetId();
        broker.sendInOneFrame(MqttMessageBuilders.pubAck().packetId(packetId).build());
        await(published);
        assertThat(client.inFlightCount()).isZero();
    }

    @Test
    @DisplayName("At most maxInFlight QoS 1 publishes await PUBACK; the queue holds its bound; beyond it publish fails")
    void inFlightWindowAndQueueAreBounded(Vertx vertx) throws Exception {
        broker.acknowledgePublishes = false;
        client = MqttWebSocketClient.create(vertx, MqttClientOptions.of("window").withFlowControl(3, 2));
        await(client.connect(broker.url()));

        List<Future<Void>> publishes = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            publishes.add(client.publish("a/" + i, Buffer.buffer("m" + i), 1, false));
        }
        Future<Void> overflow = client.publish("a/overflow", Buffer.buffer("too many"), 1, false);

        assertThat(awaitFailure(overflow))
                .isInstanceOf(MqttLimitExceeded.class)
                .hasMessageContaining("3 publishes await PUBACK")
                .hasMessageContaining("2 more are queued");
        await(delay(vertx, QUIET_MILLIS));
        assertThat(broker.packetsOfType(MqttMessageType.PUBLISH)).hasSize(3);

        int firstId = ((MqttPublishMessage) broker.packetsOfType(MqttMessageType.PUBLISH).get(0))
                .variableHeader().packetId();
        broker.sendInOneFrame(MqttMessageBuilders.pubAck().packetId(firstId).build());
        await(publishes.get(0));
        await(delay(vertx, QUIET_MILLIS));
        assertThat(broker.packetsOfType(MqttMessageType.PUBLISH))
                .extracting(packet -> ((MqttPublishMessage) packet).variableHeader().topicName())
                .containsExactly("a/0", "a/1", "a/2", "a/3");
    }

    @Test
    @DisplayName("An incoming QoS 1 message is acknowledged with its packet id after the handler returned")
    void incomingQos1IsAcknowledgedAfterHandler(Vertx vertx, VertxTestContext test) throws Exception {
        AtomicBoolean handlerDone = new AtomicBoolean();
        client = MqttWebSocketClient.create(vertx, MqttClientOptions.of("acker"))
                .messageHandler(message -> handlerDone.set(true));
        broker.packetListener = packet -> {
            if (packet.fixedHeader().messageType() == MqttMessageType.PUBACK) {
                test.verify(() -> {
                    assertThat(handlerDone).isTrue();
                    assertThat(((MqttMessageIdVariableHeader) packet.variableHeader()).messageId()).isEqualTo(42);
                });
                test.completeNow();
            }
        };
        await(client.connect(broker.url()));

        broker.sendInOneFrame(ScriptedBroker.publish("a/b", 1, 42, bytes("ack me")));
    }

    @Test
    @DisplayName("A handler that disconnects before returning leaves its QoS 1 message unacknowledged, for redelivery")
    void handlerThatDisconnectsLeavesMessageUnacknowledged(Vertx vertx) throws Exception {
        MqttWebSocketClient leaving = MqttWebSocketClient.create(vertx, MqttClientOptions.of("leaver"));
        leaving.messageHandler(message -> leaving.disconnect());
        Promise<Void> disconnected = Promise.promise();
        broker.packetListener = packet -> {
            if (packet.fixedHeader().messageType() == MqttMessageType.DISCONNECT) {
                disconnected.tryComplete();
            }
        };
        await(leaving.connect(broker.url()));

        broker.sendInOneFrame(ScriptedBroker.publish("a/b", 1, 5, bytes("unfinished")));

        await(disconnected.future());
        await(delay(vertx, QUIET_MILLIS));
        assertThat(broker.packetsOfType(MqttMessageType.PUBACK)).isEmpty();
    }

    @Test
    @DisplayName("A broker that stops answering PINGREQ is detected: the client closes and reports why")
    void silentBrokerIsDetectedByKeepAlive(Vertx vertx, VertxTestContext test) throws Exception {
        broker.answerPings = false;
        Checkpoint reported = test.checkpoint();
        Checkpoint closed = test.checkpoint();
        client = MqttWebSocketClient.create(vertx, MqttClientOptions.of("pinger")
                        .withKeepAlive(1, Duration.ofMillis(300)))
                .exceptionHandler(failure -> {
                    test.verify(() -> assertThat(failure)
                            .isInstanceOf(ConnectionLost.class)
                            .hasMessageContaining("No PINGRESP"));
                    reported.flag();
                })
                .closeHandler(nothing -> closed.flag());
        await(client.connect(broker.url()));

        assertThat(test.awaitCompletion(5, TimeUnit.SECONDS)).isTrue();
        assertThat(broker.packetsOfType(MqttMessageType.PINGREQ)).isNotEmpty();
        assertThat(client.isConnected()).isFalse();
    }

    @Test
    @DisplayName("A broker that answers PINGREQ keeps the connection open past the keep-alive interval")
    void answeredPingsKeepConnection(Vertx vertx) throws Exception {
        AtomicBoolean lost = new AtomicBoolean();
        client = MqttWebSocketClient.create(vertx, MqttClientOptions.of("pinger")
                        .withKeepAlive(1, Duration.ofMillis(300)))
                .closeHandler(nothing -> lost.set(true));
        await(client.connect(broker.url()));

        await(delay(vertx, 2600));

        assertThat(broker.packetsOfType(MqttMessageType.PINGREQ)).hasSizeGreaterThanOrEqualTo(2);
        assertThat(lost).isFalse();
        assertThat(client.isConnected()).isTrue();
    }

    @Test
    @DisplayName("A CONNACK refusal fails connect with the return code")
    void connAckRefusalCarriesReturnCode(Vertx vertx) throws Exception {
        broker.connectReturnCode = MqttConnectReturnCode.CONNECTION_REFUSED_NOT_AUTHORIZED;
        client = MqttWebSocketClient.create(vertx, MqttClientOptions.of("refused"));

        Throwable failure = awaitFailure(client.connect(broker.url()));

        assertThat(failure).isInstanceOf(ConnectionRefused.class).hasMessageContaining("return code 5");
        assertThat(((ConnectionRefused) failure).returnCode()).isEqualTo(5);
        assertThat(client.isConnected()).isFalse();
    }

    @Test
    @DisplayName("SUBACK 0x80 fails subscribe with SubscriptionRefused naming the filter")
    void subAckFailureFailsSubscribe(Vertx vertx) throws Exception {
        broker.deniedFilters = Set.of("denied/#");
        client = MqttWebSocketClient.create(vertx, MqttClientOptions.of("subscriber"));
        await(client.connect(broker.url()));

        Throwable failure = awaitFailure(client.subscribe("denied/#", 1));
        int granted = await(client.subscribe("allowed/+", 1));

        assertThat(failure).isInstanceOf(SubscriptionRefused.class).hasMessageContaining("denied/#");
        assertThat(((SubscriptionRefused) failure).topicFilter()).isEqualTo("denied/#");
        assertThat(granted).isEqualTo(1);
    }

    @Test
    @DisplayName("What AWS IoT Core would refuse is refused locally, naming the limit, and nothing is sent")
    void awsLimitsAreRefusedLocally(Vertx vertx) throws Exception {
        client = MqttWebSocketClient.create(vertx, MqttClientOptions.of("limits"));
        await(client.connect(broker.url()));

        Buffer tooLarge = Buffer.buffer(new byte[IotLimits.MAX_PAYLOAD_BYTES + 1]);
        assertThat(awaitFailure(client.publish("a/b", tooLarge, 1, false)))
                .isInstanceOf(MqttLimitExceeded.class)
                .hasMessageContaining("131073 bytes")
                .hasMessageContaining("at most 131072");
        assertThat(awaitFailure(client.publish("t".repeat(257), Buffer.buffer("x"), 0, false)))
                .isInstanceOf(MqttLimitExceeded.class)
                .hasMessageContaining("257 bytes")
                .hasMessageContaining("at most 256");
        assertThat(awaitFailure(client.publish("a/b/c/d/e/f/g/h/i", Buffer.buffer("x"), 0, false)))
                .isInstanceOf(MqttLimitExceeded.class)
                .hasMessageContaining("8 slashes");
        assertThat(awaitFailure(client.subscribe("a/b/c/d/e/f/g/h/#", 1)))
                .isInstanceOf(MqttLimitExceeded.class)
                .hasMessageContaining("8 slashes");
        assertThat(awaitFailure(client.publish("a/b", Buffer.buffer("x"), 2, false)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("QoS 0 and 1 only");
        assertThat(awaitFailure(client.publish("a/+", Buffer.buffer("x"), 0, false)))
                .hasMessageContaining("wildcard");
        assertThat(awaitFailure(client.subscribe("a/#/b", 0)))
                .hasMessageContaining("misplaces a wildcard");

        await(delay(vertx, QUIET_MILLIS));
        assertThat(broker.packetsOfType(MqttMessageType.PUBLISH)).isEmpty();
        assertThat(broker.packetsOfType(MqttMessageType.SUBSCRIBE)).isEmpty();
    }

    @Test
    @DisplayName("QoS 0 publishes to a broker that stopped reading fail once the write queue is full, not buffering")
    void qos0RefusedWhenWriteQueueFull(Vertx vertx, VertxTestContext test) throws Exception {
        client = MqttWebSocketClient.create(vertx, MqttClientOptions.of("flooder")
                .withConnectTimeout(Duration.ofSeconds(2)));
        await(client.connect(broker.url()));
        broker.stopReading();
        Buffer large = Buffer.buffer(new byte[IotLimits.MAX_PAYLOAD_BYTES]);

        vertx.setPeriodic(1, timer -> client.publish("a/b", large, 0, false)
                .onFailure(failure -> {
                    if (vertx.cancelTimer(timer)) {
                        broker.resumeReading();
                        test.verify(() -> assertThat(failure)
                                .isInstanceOf(MqttLimitExceeded.class)
                                .hasMessageContaining("write queue is full"));
                        test.completeNow();
                    }
                }));
    }

    @Test
    @DisplayName("A message handler that throws is reported, and the message is still acknowledged")
    void throwingHandlerIsReported(Vertx vertx, VertxTestContext test) throws Exception {
        Checkpoint reported = test.checkpoint();
        Checkpoint acknowledged = test.checkpoint();
        client = MqttWebSocketClient.create(vertx, MqttClientOptions.of("clumsy"))
                .messageHandler(message -> {
                    throw new IllegalStateException("handler bug");
                })
                .exceptionHandler(failure -> {
                    test.verify(() -> assertThat(failure).hasMessage("handler bug"));
                    reported.flag();
                });
        broker.packetListener = packet -> {
            if (packet.fixedHeader().messageType() == MqttMessageType.PUBACK) {
                acknowledged.flag();
            }
        };
        await(client.connect(broker.url()));

        broker.sendInOneFrame(ScriptedBroker.publish("a/b", 1, 9, bytes("boom")));
    }

    @Test
    @DisplayName("A 51st subscription is refused locally: AWS IoT Core allows 50 per connection")
    void fiftyFirstSubscriptionIsRefused(Vertx vertx) throws Exception {
        client = MqttWebSocketClient.create(vertx, MqttClientOptions.of("many"));
        await(client.connect(broker.url()));
        for (int i = 0; i < IotLimits.MAX_SUBSCRIPTIONS_PER_CONNECTION; i++) {
            await(client.subscribe("filter/" + i, 0));
        }

        Throwable failure = awaitFailure(client.subscribe("filter/50", 0));

        assertThat(failure).isInstanceOf(MqttLimitExceeded.class).hasMessageContaining("at most 50");
        assertThat(broker.packetsOfType(MqttMessageType.SUBSCRIBE)).hasSize(50);
    }

    @Test
    @DisplayName("After a drop, a persistent session reconnects to a fresh URL and re-sends unacked QoS 1 with DUP")
    void reconnectResendsWithDup(Vertx vertx) throws Exception {
        broker.acknowledgePublishes = false;
        AtomicInteger attempts = new AtomicInteger();
        Supplier<Future<String>> freshUrls = () -> Future.succeededFuture(
                broker.url("/mqtt?attempt=" + attempts.incrementAndGet()));
        Promise<Boolean> reconnected = Promise.promise();
        client = MqttWebSocketClient.create(vertx, MqttClientOptions.of("persistent")
                        .withCleanSession(false)
                        .withReconnect(quickReconnect()))
                .reconnectHandler(reconnected::tryComplete);
        await(client.connect(freshUrls));
        Future<Void> published = client.publish("a/b", Buffer.buffer("keep me"), 1, false);
        await(delay(vertx, QUIET_MILLIS));
        MqttPublishMessage first = (MqttPublishMessage) broker.packetsOfType(MqttMessageType.PUBLISH).get(0);

        broker.sessionPresent = true;
        broker.acknowledgePublishes = true;
        broker.dropConnection();

        assertThat(await(reconnected.future())).isTrue();
        await(published);
        assertThat(broker.upgradeUris).containsExactly("/mqtt?attempt=1", "/mqtt?attempt=2");
        MqttPublishMessage resent = (MqttPublishMessage) broker.packetsOfType(MqttMessageType.PUBLISH).get(1);
        assertThat(first.fixedHeader().isDup()).isFalse();
        assertThat(resent.fixedHeader().isDup()).isTrue();
        assertThat(resent.variableHeader().packetId()).isEqualTo(first.variableHeader().packetId());
        assertThat(ScriptedBroker.payloadOf(resent)).isEqualTo(bytes("keep me"));
        assertThat(((MqttConnectMessage) broker.packetsOfType(MqttMessageType.CONNECT).get(1))
                .variableHeader().isCleanSession()).isFalse();
    }

    @Test
    @DisplayName("After a drop, a clean session subscribes again to every filter it held")
    void reconnectResubscribesCleanSession(Vertx vertx) throws Exception {
        Promise<Boolean> reconnected = Promise.promise();
        client = MqttWebSocketClient.create(vertx, MqttClientOptions.of("clean").withReconnect(quickReconnect()))
                .reconnectHandler(reconnected::tryComplete);
        await(client.connect(broker.url()));
        await(client.subscribe("a/+", 1));
        await(client.subscribe("b/#", 0));

        broker.dropConnection();

        assertThat(await(reconnected.future())).isFalse();
        await(delay(vertx, QUIET_MILLIS));
        assertThat(broker.packetsOfType(MqttMessageType.SUBSCRIBE))
                .extracting(packet -> ((MqttSubscribeMessage) packet).payload().topicSubscriptions().get(0)
                        .topicFilter())
                .containsExactly("a/+", "b/#", "a/+", "b/#");
    }

    @Test
    @DisplayName("Without a reconnect policy a dropped connection closes the client and fails waiting publishes")
    void dropWithoutReconnectClosesClient(Vertx vertx, VertxTestContext test) throws Exception {
        broker.acknowledgePublishes = false;
        Checkpoint closed = test.checkpoint();
        client = MqttWebSocketClient.create(vertx, MqttClientOptions.of("fragile"))
                .closeHandler(nothing -> closed.flag());
        await(client.connect(broker.url()));
        Future<Void> published = client.publish("a/b", Buffer.buffer("lost"), 1, false);
        await(delay(vertx, QUIET_MILLIS));

        broker.dropConnection();

        assertThat(awaitFailure(published)).isInstanceOf(ConnectionLost.class);
        assertThat(awaitFailure(client.publish("a/b", Buffer.buffer("late"), 1, false)))
                .isInstanceOf(ConnectionLost.class)
                .hasMessageContaining("closed");
        assertThat(test.awaitCompletion(5, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    @DisplayName("Handlers and futures run on the context that created the client, whatever thread calls")
    void callbacksRunOnCreatingContext(Vertx vertx, VertxTestContext test) throws Exception {
        Context context = vertx.getOrCreateContext();
        Promise<MqttWebSocketClient> created = Promise.promise();
        List<Context> seen = new CopyOnWriteArrayList<>();
        Checkpoint message = test.checkpoint();
        context.runOnContext(nothing -> created.complete(MqttWebSocketClient.create(vertx,
                        MqttClientOptions.of("contextual"))
                .messageHandler(received -> {
                    seen.add(Vertx.currentContext());
                    message.flag();
                })));
        client = await(created.future());

        await(client.connect(broker.url())
                .onComplete(result -> seen.add(Vertx.currentContext())));
        await(client.publish("a/b", Buffer.buffer("x"), 1, false)
                .onComplete(result -> seen.add(Vertx.currentContext())));
        broker.sendInOneFrame(ScriptedBroker.publish("c/d", 0, 0, bytes("y")));

        assertThat(test.awaitCompletion(5, TimeUnit.SECONDS)).isTrue();
        assertThat(seen).hasSize(3).containsOnly(context);
    }

    @Test
    @DisplayName("A text frame from the broker ends the connection: MQTT travels in binary frames")
    void textFrameEndsConnection(Vertx vertx, VertxTestContext test) throws Exception {
        client = MqttWebSocketClient.create(vertx, MqttClientOptions.of("binary-only"))
                .exceptionHandler(failure -> {
                    test.verify(() -> assertThat(failure).hasMessageContaining("text frame"));
                    test.completeNow();
                });
        await(client.connect(broker.url()));

        broker.sendText("not mqtt");
    }

    @Test
    @DisplayName("CONNECT carries the client id, session flag, keep-alive, will and credentials")
    void connectCarriesOptions(Vertx vertx) throws Exception {
        client = MqttWebSocketClient.create(vertx, MqttClientOptions.of("full")
                .withCleanSession(false)
                .withKeepAlive(45, Duration.ofSeconds(5))
                .withWill(new MqttWill("tether/abc/response", Buffer.buffer("{\"type\":\"end\"}"), 1, false))
                .withCredentials("user", "secret"));
        await(client.connect(broker.url()));

        MqttConnectMessage connect = (MqttConnectMessage) broker.packetsOfType(MqttMessageType.CONNECT).get(0);
        assertThat(connect.variableHeader().version()).isEqualTo(4);
        assertThat(connect.payload().clientIdentifier()).isEqualTo("full");
        assertThat(connect.variableHeader().isCleanSession()).isFalse();
        assertThat(connect.variableHeader().keepAliveTimeSeconds()).isEqualTo(45);
        assertThat(connect.variableHeader().isWillFlag()).isTrue();
        assertThat(connect.variableHeader().willQos()).isEqualTo(1);
        assertThat(connect.payload().willTopic()).isEqualTo("tether/abc/response");
        assertThat(new String(connect.payload().willMessageInBytes(), StandardCharsets.UTF_8))
                .isEqualTo("{\"type\":\"end\"}");
        assertThat(connect.payload().userName()).isEqualTo("user");
        assertThat(new String(connect.payload().passwordInBytes(), StandardCharsets.UTF_8)).isEqualTo("secret");
    }

    @Test
    @DisplayName("disconnect sends DISCONNECT, then further calls fail as closed")
    void disconnectSendsDisconnect(Vertx vertx, VertxTestContext test) throws Exception {
        broker.packetListener = packet -> {
            if (packet.fixedHeader().messageType() == MqttMessageType.DISCONNECT) {
                test.completeNow();
            }
        };
        MqttWebSocketClient closing = MqttWebSocketClient.create(vertx, MqttClientOptions.of("leaver"));
        await(closing.connect(broker.url()));

        await(closing.disconnect());

        assertThat(test.awaitCompletion(5, TimeUnit.SECONDS)).isTrue();
        assertThat(awaitFailure(closing.subscribe("a/b", 0))).isInstanceOf(ConnectionLost.class);
        assertThat(awaitFailure(closing.connect(broker.url()))).isInstanceOf(IllegalStateException.class);
    }

    @Test
    @DisplayName("A URL that is not ws or wss fails connect without showing its query")
    void nonWebSocketUrlIsRefused(Vertx vertx) throws Exception {
        client = MqttWebSocketClient.create(vertx, MqttClientOptions.of("wrong-scheme"));

        Throwable failure = awaitFailure(client.connect("https://example.com/mqtt?X-Amz-Signature=secret"));

        assertThat(failure).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("ws:// or wss://")
                .hasMessageNotContaining("secret");
    }

    @Test
    @DisplayName("A server that never answers the WebSocket upgrade fails connect after the connect timeout")
    void unansweredUpgradeTimesOut(Vertx vertx) throws Exception {
        HttpServer mute = vertx.createHttpServer()
                .requestHandler(request -> { });
        await(mute.listen(0, "127.0.0.1"));
        client = MqttWebSocketClient.create(vertx, MqttClientOptions.of("impatient")
                .withConnectTimeout(Duration.ofMillis(500)));
        long started = System.nanoTime();

        Throwable failure = awaitFailure(client.connect("ws://127.0.0.1:" + mute.actualPort() + "/mqtt"));

        assertThat(failure).isInstanceOf(ConnectionLost.class).hasMessageContaining("WebSocket upgrade");
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(5));
        await(mute.close());
    }

    @Test
    @DisplayName("Operations before connect fail with ConnectionLost instead of throwing")
    void operationsBeforeConnectFail(Vertx vertx) {
        MqttWebSocketClient idle = MqttWebSocketClient.create(vertx, MqttClientOptions.of("idle"));

        assertThatThrownBy(() -> await(idle.publish("a/b", Buffer.buffer("x"), 0, false)))
                .hasCauseInstanceOf(ConnectionLost.class);
        assertThatThrownBy(() -> await(idle.subscribe("a/b", 0)))
                .hasCauseInstanceOf(ConnectionLost.class);
    }

    static ReconnectPolicy quickReconnect() {
        return new ReconnectPolicy(Duration.ofMillis(50), Duration.ofMillis(200), 2.0, 0.5, 100);
    }

    static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    /** Waits on the test thread, never on an event loop. */
    static <T> T await(Future<T> future) throws Exception {
        return future.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    static Throwable awaitFailure(Future<?> future) throws Exception {
        try {
            await(future);
        } catch (java.util.concurrent.ExecutionException e) {
            return e.getCause();
        }
        throw new AssertionError("expected the future to fail, it succeeded");
    }

    static Future<Void> delay(Vertx vertx, long millis) {
        Promise<Void> elapsed = Promise.promise();
        vertx.setTimer(millis, id -> elapsed.complete());
        return elapsed.future();
    }
}
