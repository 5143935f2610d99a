package dev.tether.local.iot;

import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;

/** MQTT packets written by hand, for tests that need a client no library can be made to be. */
final class RawMqtt {
    private RawMqtt() {
    }

    /** A CONNECT packet with clean session and no will, user name or password (MQTT 3.1.1, 3.1). */
    static Buffer connect(String clientId, int keepAliveSeconds) {
        byte[] id = clientId.getBytes(StandardCharsets.UTF_8);
        Buffer rest = Buffer.buffer()
                .appendShort((short) 4)
                .appendString("MQTT")
                .appendByte((byte) 4)
                .appendByte((byte) 0x02)
                .appendShort((short) keepAliveSeconds)
                .appendShort((short) id.length)
                .appendBytes(id);
        return Buffer.buffer()
                .appendByte((byte) 0x10)
                .appendByte((byte) rest.length())
                .appendBuffer(rest);
    }

    /** Whether a packet is a CONNACK that accepts the connection (MQTT 3.1.1, 3.2). */
    static boolean isAcceptingConnack(Buffer packet) {
        return packet.length() == 4 && packet.getByte(0) == 0x20 && packet.getByte(3) == 0;
    }
}
