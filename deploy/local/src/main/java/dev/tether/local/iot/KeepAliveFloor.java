package dev.tether.local.iot;

import io.vertx.core.buffer.Buffer;

/**
 * Raises the keep-alive a client asks for in its CONNECT packet to the broker's smallest allowed value before the
 * packet reaches vertx-mqtt, as AWS IoT Core does: a client asking for less than 30 seconds gets 30 (AWS IoT Core
 * quotas, "Keep-alive period"). vertx-mqtt arms its own idle timer from the packet's value and offers no option to
 * change it, so the value is changed in the bytes themselves, once, on the first packet of the connection.
 *
 * <p>A keep-alive of 0 (MQTT 3.1.1, 3.1.2.10: no keep-alive) is left to the broker, which applies its maximum. A
 * first packet that is not a well-formed CONNECT header is passed on unchanged, for the broker to refuse.
 *
 * <p>One instance per connection; not thread-safe (it runs on the connection's event loop).
 */
final class KeepAliveFloor {
    private static final int CONNECT = 0x10;
    private static final int MAX_PROTOCOL_NAME_BYTES = 16;
    private static final int INCOMPLETE = -1;
    private static final int NOT_CONNECT = -2;

    private final int minKeepAliveSeconds;
    private Buffer pending = Buffer.buffer();
    private boolean done;

    KeepAliveFloor(int minKeepAliveSeconds) {
        this.minKeepAliveSeconds = minKeepAliveSeconds;
    }

    /**
     * Takes the next bytes from the client and answers the bytes to pass on: empty while the CONNECT header is
     * still incomplete, then everything held so far, rewritten if needed, and after that each buffer unchanged.
     */
    Buffer apply(Buffer bytes) {
        if (done) {
            return bytes;
        }
        pending.appendBuffer(bytes);

        int offset = keepAliveOffset(pending);
        if (offset == INCOMPLETE) {
            return Buffer.buffer();
        }
        done = true;
        Buffer out = pending;
        pending = null;
        if (offset != NOT_CONNECT) {
            int keepAlive = out.getUnsignedShort(offset);
            if (keepAlive != 0 && keepAlive < minKeepAliveSeconds) {
                out.setShort(offset, (short) minKeepAliveSeconds);
            }
        }
        return out;
    }

    // The keep-alive follows the fixed header, the protocol name, the level and the flags (MQTT 3.1.1, 3.1.2).
    private static int keepAliveOffset(Buffer packet) {
        if (packet.length() < 1) {
            return INCOMPLETE;
        }
        if ((packet.getUnsignedByte(0) & 0xF0) != CONNECT) {
            return NOT_CONNECT;
        }
        int index = 1;
        int digits = 0;
        while (true) {
            if (index >= packet.length()) {
                return INCOMPLETE;
            }
            int digit = packet.getUnsignedByte(index++);
            digits++;
            if ((digit & 0x80) == 0) {
                break;
            }
            if (digits == 4) {
                return NOT_CONNECT;
            }
        }
        if (index + 2 > packet.length()) {
            return INCOMPLETE;
        }
        int nameLength = packet.getUnsignedShort(index);
        if (nameLength > MAX_PROTOCOL_NAME_BYTES) {
            return NOT_CONNECT;
        }
        int keepAlive = index + 2 + nameLength + 2;
        return keepAlive + 2 <= packet.length() ? keepAlive : INCOMPLETE;
    }
}
