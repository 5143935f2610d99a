package dev.tether.mqtt.internal;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.mqtt.MqttDecoder;
import io.netty.handler.codec.mqtt.MqttEncoder;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.util.ReferenceCountUtil;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.internal.buffer.BufferInternal;
import java.util.function.Consumer;

/**
 * Turns MQTT packets into bytes and back with Netty's MQTT 3.1.1 codec, for a byte stream carried in WebSocket
 * frames.
 *
 * <p>MQTT over WebSocket (MQTT 3.1.1 section 6) treats the binary frames as one byte stream: a packet may span
 * several frames and a frame may hold several packets [MQTT-6.0.0-2]. Netty's {@link MqttDecoder} is a
 * cumulating decoder, so the simplest correct approach is to feed it each frame's bytes, in order, in a private
 * {@link EmbeddedChannel}: it keeps the bytes of an incomplete packet until the rest arrives and emits every
 * complete packet a frame finishes. The encoder runs in the same channel. Buffers come from an unpooled heap
 * allocator, so a buffer handed to Vert.x needs no release.
 *
 * <p>Threading: not thread-safe; one connection uses it from its Vert.x context only.
 */
public final class MqttPacketCodec {
    private final EmbeddedChannel channel;

    /** @param maxPacketBytes largest packet accepted from the broker; a larger one decodes as a failure */
    public MqttPacketCodec(int maxPacketBytes) {
        channel = new EmbeddedChannel();
        channel.config().setAllocator(new UnpooledByteBufAllocator(false));
        channel.pipeline().addLast(MqttEncoder.INSTANCE, new MqttDecoder(maxPacketBytes));
    }

    /** Encodes one packet; the returned buffer belongs to the caller. */
    public Buffer encode(MqttMessage packet) {
        channel.writeOutbound(packet);
        ByteBuf encoded = channel.readOutbound();
        ByteBuf more = channel.readOutbound();
        if (more == null) {
            return BufferInternal.buffer(encoded);
        }
        // The encoder writes a packet as one buffer; joining is only a safeguard should that change.
        Buffer joined = Buffer.buffer(encoded.readableBytes() + more.readableBytes());
        joined.appendBuffer(BufferInternal.buffer(encoded));
        for (ByteBuf next = more; next != null; next = channel.readOutbound()) {
            joined.appendBuffer(BufferInternal.buffer(next));
        }
        return joined;
    }

    /**
     * Feeds the bytes of one WebSocket frame to the decoder and hands every packet it completes to the sink, in
     * order. A packet the decoder could not read arrives with a failed {@code decoderResult()}. The sink must not
     * keep a packet's buffers: they are released when it returns.
     */
    public void decode(Buffer frameBytes, Consumer<MqttMessage> sink) {
        channel.writeInbound(((BufferInternal) frameBytes).getByteBuf());
        for (Object packet = channel.readInbound(); packet != null; packet = channel.readInbound()) {
            try {
                sink.accept((MqttMessage) packet);
            } finally {
                ReferenceCountUtil.release(packet);
            }
        }
    }

    /** Drops any partial packet and releases what the decoder holds. */
    public void close() {
        channel.finishAndReleaseAll();
    }
}
