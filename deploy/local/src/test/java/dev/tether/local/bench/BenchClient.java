package dev.tether.local.bench;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.mqtt.MqttConnAckMessage;
import io.netty.handler.codec.mqtt.MqttConnectReturnCode;
import io.netty.handler.codec.mqtt.MqttDecoder;
import io.netty.handler.codec.mqtt.MqttEncoder;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttMessageBuilders;
import io.netty.handler.codec.mqtt.MqttMessageIdVariableHeader;
import io.netty.handler.codec.mqtt.MqttPublishMessage;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.netty.handler.codec.mqtt.MqttVersion;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketConnectOptions;

import java.util.function.LongConsumer;

/**
 * A minimal MQTT 3.1.1 client over a Vert.x WebSocket for the benchmark: Netty's MQTT codec does the encoding, so
 * thousands of connections share a few event loops instead of a few threads each. It subscribes to one topic,
 * publishes QoS 1 messages stamped with {@link System#nanoTime()} to another, keeping a window of unacknowledged
 * publishes, and reports the latency of each message it receives. Used only on its connection's event loop.
 */
final class BenchClient {
    private static final int PAYLOAD_BYTES = 64;

    private final EmbeddedChannel encoder = new EmbeddedChannel(MqttEncoder.INSTANCE);
    private final EmbeddedChannel decoder = new EmbeddedChannel(new MqttDecoder(1 << 20));
    private final String clientId;
    private final String subscribeTopic;
    private final String publishTopic;
    private final LongConsumer latencyNanos;
    private Promise<Void> connected;
    private Promise<Void> subscribed;
    private WebSocket ws;
    private int nextPacketId;
    private int inFlight;
    private int window;
    private volatile boolean publishing;

    BenchClient(String clientId, String subscribeTopic, String publishTopic, LongConsumer latencyNanos) {
        this.clientId = clientId;
        this.subscribeTopic = subscribeTopic;
        this.publishTopic = publishTopic;
        this.latencyNanos = latencyNanos;
    }

    /** Opens the WebSocket, sends CONNECT and SUBSCRIBE, and completes once SUBACK arrives. */
    Future<Void> start(WebSocketClient client, int port, String uri) {
        connected = Promise.promise();
        subscribed = Promise.promise();
        return client.connect(new WebSocketConnectOptions()
                        .setHost("127.0.0.1")
                        .setPort(port)
                        .setURI(uri)
                        .addSubProtocol("mqtt"))
                .compose(socket -> {
                    ws = socket;
                    ws.handler(this::received);
                    send(MqttMessageBuilders.connect()
                            .clientId(clientId)
                            .protocolVersion(MqttVersion.MQTT_3_1_1)
                            .cleanSession(true)
                            .keepAlive(600)
                            .build());
                    return connected.future();
                })
                .compose(v -> {
                    send(MqttMessageBuilders.subscribe()
                            .messageId(1)
                            .addSubscription(MqttQoS.AT_LEAST_ONCE, subscribeTopic)
                            .build());
                    return subscribed.future();
                });
    }

    /** Starts publishing with this many unacknowledged messages at most; call on the connection's context. */
    void publish(int messagesInFlight) {
        window = messagesInFlight;
        publishing = true;
        fill();
    }

    /** Stops publishing new messages; those in flight complete. */
    void stop() {
        publishing = false;
    }

    Future<Void> close() {
        return ws == null ? Future.succeededFuture() : ws.close();
    }

    private void fill() {
        while (publishing && inFlight < window) {
            nextPacketId = nextPacketId == 65_535 ? 1 : nextPacketId + 1;
            ByteBuf payload = Unpooled.buffer(PAYLOAD_BYTES);
            payload.writeLong(System.nanoTime());
            payload.writerIndex(PAYLOAD_BYTES);
            send(MqttMessageBuilders.publish()
                    .topicName(publishTopic)
                    .qos(MqttQoS.AT_LEAST_ONCE)
                    .messageId(nextPacketId)
                    .payload(payload)
                    .build());
            inFlight++;
        }
    }

    private void received(Buffer bytes) {
        decoder.writeInbound(Unpooled.wrappedBuffer(bytes.getBytes()));
        Object message;
        while ((message = decoder.readInbound()) != null) {
            handle((MqttMessage) message);
        }
    }

    private void handle(MqttMessage message) {
        switch (message.fixedHeader().messageType()) {
            case CONNACK -> {
                MqttConnectReturnCode code = ((MqttConnAckMessage) message).variableHeader().connectReturnCode();
                if (code == MqttConnectReturnCode.CONNECTION_ACCEPTED) {
                    connected.tryComplete();
                } else {
                    connected.tryFail("CONNACK " + code);
                }
            }
            case SUBACK -> subscribed.tryComplete();
            case PUBLISH -> {
                MqttPublishMessage publish = (MqttPublishMessage) message;
                latencyNanos.accept(System.nanoTime() - publish.payload().getLong(0));
                int packetId = publish.variableHeader().packetId();
                publish.release();
                send(MqttMessageBuilders.pubAck().packetId(packetId).build());
            }
            case PUBACK -> {
                ((MqttMessageIdVariableHeader) message.variableHeader()).messageId();
                inFlight--;
                fill();
            }
            default -> {
            }
        }
    }

    private void send(MqttMessage message) {
        encoder.writeOutbound(message);
        ByteBuf encoded = encoder.readOutbound();
        byte[] bytes = ByteBufUtil.getBytes(encoded);
        encoded.release();
        ws.writeBinaryMessage(Buffer.buffer(bytes));
    }
}
