package dev.tether.mqtt;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.mqtt.MqttConnectMessage;
import io.netty.handler.codec.mqtt.MqttConnectReturnCode;
import io.netty.handler.codec.mqtt.MqttDecoder;
import io.netty.handler.codec.mqtt.MqttEncoder;
import io.netty.handler.codec.mqtt.MqttFixedHeader;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttMessageBuilders;
import io.netty.handler.codec.mqtt.MqttMessageIdVariableHeader;
import io.netty.handler.codec.mqtt.MqttMessageType;
import io.netty.handler.codec.mqtt.MqttPublishMessage;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.netty.handler.codec.mqtt.MqttSubscribeMessage;
import io.netty.handler.codec.mqtt.MqttTopicSubscription;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.http.WebSocketFrame;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * A scripted MQTT 3.1.1 peer behind a Vert.x WebSocket server on a loopback ephemeral port, for tests that need
 * a broker to misbehave on cue (withhold PUBACK, stop answering PINGREQ, refuse CONNECT) or to show exactly which
 * WebSocket frames and which request URI arrived.
 *
 * <p>It decodes and encodes with Netty's MQTT codec directly, not with the client's own codec class, so that a
 * framing bug in the client cannot hide behind the same bug here. Frames it sends are chosen by the test.
 *
 * <p>Threading: its handlers run on the server's event loop; the switches are volatile and the records
 * thread-safe, so tests may set and read them from any thread.
 */
final class ScriptedBroker {
    /** One WebSocket frame as it arrived. */
    record Frame(boolean binary, boolean continuation, boolean fin, int length) {
    }

    final List<String> upgradeUris = new CopyOnWriteArrayList<>();
    final List<String> offeredSubprotocols = new CopyOnWriteArrayList<>();
    final List<Frame> frames = new CopyOnWriteArrayList<>();
    final List<MqttMessage> packets = new CopyOnWriteArrayList<>();

    volatile MqttConnectReturnCode connectReturnCode = MqttConnectReturnCode.CONNECTION_ACCEPTED;
    volatile boolean sessionPresent;
    volatile boolean answerPings = true;
    volatile boolean acknowledgePublishes = true;
    volatile Set<String> deniedFilters = Set.of();
    volatile Consumer<MqttMessage> packetListener = packet -> { };

    private final HttpServer server;
    private volatile ServerWebSocket current;

    private ScriptedBroker(Vertx vertx) {
        server = vertx.createHttpServer(new HttpServerOptions()
                .setHost("127.0.0.1")
                .setPort(0)
                .setMaxWebSocketFrameSize(1024 * 1024)
                .addWebSocketSubProtocol("mqtt"));
        server.webSocketHandler(this::accept);
    }

    static Future<ScriptedBroker> start(Vertx vertx) {
        ScriptedBroker broker = new ScriptedBroker(vertx);
        return broker.server.listen()
                .map(listening -> broker);
    }

    /** {@code ws://127.0.0.1:<port>} followed by the request target, as given. */
    String url(String requestTarget) {
        return "ws://127.0.0.1:" + server.actualPort() + requestTarget;
    }

    String url() {
        return url("/mqtt");
    }

    List<MqttMessage> packetsOfType(MqttMessageType type) {
        return packets.stream()
                .filter(packet -> packet.fixedHeader().messageType() == type)
                .toList();
    }

    /** Sends packets back to back in one binary frame. */
    void sendInOneFrame(MqttMessage... toSend) {
        Buffer frame = Buffer.buffer();
        for (MqttMessage packet : toSend) {
            frame.appendBytes(encode(packet));
        }
        current.writeFrame(WebSocketFrame.binaryFrame(frame, true));
    }

    /** Sends one packet cut into frames of at most frameBytes: a binary frame, then continuation frames. */
    void sendSplit(MqttMessage packet, int frameBytes) {
        byte[] bytes = encode(packet);
        for (int start = 0; start < bytes.length; start += frameBytes) {
            int end = Math.min(start + frameBytes, bytes.length);
            Buffer part = Buffer.buffer().appendBytes(bytes, start, end - start);
            boolean fin = end == bytes.length;
            current.writeFrame(start == 0
                    ? WebSocketFrame.binaryFrame(part, fin)
                    : WebSocketFrame.continuationFrame(part, fin));
        }
    }

    /** Stops reading from the client, so that its writes back up. */
    void stopReading() {
        current.pause();
    }

    /** Reads from the client again after {@link #stopReading()}. */
    void resumeReading() {
        current.resume();
    }

    void sendText(String text) {
        current.writeTextMessage(text);
    }

    /** Closes the current WebSocket without DISCONNECT, as a dropped connection would. */
    void dropConnection() {
        current.close();
    }

    Future<Void> close() {
        return server.close();
    }

    static MqttPublishMessage publish(String topic, int qos, int packetId, byte[] payload) {
        return MqttMessageBuilders.publish()
                .topicName(topic)
                .qos(MqttQoS.valueOf(qos))
                .messageId(packetId)
                .payload(io.netty.buffer.Unpooled.wrappedBuffer(payload))
                .build();
    }

    static byte[] payloadOf(MqttMessage packet) {
        return ByteBufUtil.getBytes(((MqttPublishMessage) packet).payload());
    }

    private void accept(ServerWebSocket webSocket) {
        current = webSocket;
        upgradeUris.add(webSocket.uri());
        String offered = webSocket.headers().get("Sec-WebSocket-Protocol");
        offeredSubprotocols.add(offered == null ? "" : offered);
        EmbeddedChannel decoder = new EmbeddedChannel(new MqttDecoder(1024 * 1024));
        decoder.config().setAllocator(new UnpooledByteBufAllocator(false));
        webSocket.frameHandler(frame -> {
            frames.add(new Frame(frame.isBinary(), frame.isContinuation(), frame.isFinal(),
                    frame.binaryData().length()));
            if (frame.isBinary() || frame.isContinuation()) {
                decoder.writeInbound(io.netty.buffer.Unpooled.wrappedBuffer(frame.binaryData().getBytes()));
                for (Object packet = decoder.readInbound(); packet != null; packet = decoder.readInbound()) {
                    onPacket(webSocket, (MqttMessage) packet);
                }
            }
        });
    }

    private void onPacket(ServerWebSocket webSocket, MqttMessage packet) {
        packets.add(packet);
        switch (packet.fixedHeader().messageType()) {
            case CONNECT -> answerConnect((MqttConnectMessage) packet);
            case PINGREQ -> {
                if (answerPings) {
                    sendInOneFrame(new MqttMessage(new MqttFixedHeader(MqttMessageType.PINGRESP, false,
                            MqttQoS.AT_MOST_ONCE, false, 0)));
                }
            }
            case PUBLISH -> {
                MqttPublishMessage publish = (MqttPublishMessage) packet;
                if (acknowledgePublishes && publish.fixedHeader().qosLevel() == MqttQoS.AT_LEAST_ONCE) {
                    sendInOneFrame(MqttMessageBuilders.pubAck()
                            .packetId(publish.variableHeader().packetId())
                            .build());
                }
            }
            case SUBSCRIBE -> answerSubscribe((MqttSubscribeMessage) packet);
            case UNSUBSCRIBE -> sendInOneFrame(MqttMessageBuilders.unsubAck()
                    .packetId(((MqttMessageIdVariableHeader) packet.variableHeader()).messageId())
                    .build());
            default -> {
            }
        }
        packetListener.accept(packet);
    }

    private void answerConnect(MqttConnectMessage connect) {
        sendInOneFrame(MqttMessageBuilders.connAck()
                .returnCode(connectReturnCode)
                .sessionPresent(sessionPresent)
                .build());
    }

    private void answerSubscribe(MqttSubscribeMessage subscribe) {
        MqttMessageBuilders.SubAckBuilder subAck = MqttMessageBuilders.subAck()
                .packetId(subscribe.variableHeader().messageId());
        for (MqttTopicSubscription subscription : subscribe.payload().topicSubscriptions()) {
            if (deniedFilters.contains(subscription.topicFilter())) {
                subAck.addGrantedQos(MqttQoS.FAILURE);
            } else {
                subAck.addGrantedQos(subscription.qualityOfService());
            }
        }
        sendInOneFrame(subAck.build());
    }

    private static byte[] encode(MqttMessage packet) {
        EmbeddedChannel encoder = new EmbeddedChannel(MqttEncoder.INSTANCE);
        encoder.config().setAllocator(new UnpooledByteBufAllocator(false));
        encoder.writeOutbound(packet);
        ByteBuf encoded = encoder.readOutbound();
        byte[] bytes = ByteBufUtil.getBytes(encoded);
        encoded.release();
        encoder.finishAndReleaseAll();
        return bytes;
    }
}
