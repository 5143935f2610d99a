package dev.tether.local.iot;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.buffer.Buffer;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class KeepAliveFloorTest {
    private static final int FLOOR = 30;

    @Test
    @DisplayName("a keep-alive under the floor is raised to it, as AWS IoT Core raises it to 30 s")
    void raisesShortKeepAlive() {
        Buffer out = new KeepAliveFloor(FLOOR).apply(RawMqtt.connect("device", 5));

        assertThat(keepAliveOf(out)).isEqualTo(FLOOR);
        assertThat(out.length()).isEqualTo(RawMqtt.connect("device", 5).length());
    }

    @Test
    @DisplayName("a keep-alive at or over the floor, or 0, passes unchanged")
    void leavesOtherKeepAlives() {
        assertThat(keepAliveOf(new KeepAliveFloor(FLOOR).apply(RawMqtt.connect("device", 30)))).isEqualTo(30);
        assertThat(keepAliveOf(new KeepAliveFloor(FLOOR).apply(RawMqtt.connect("device", 600)))).isEqualTo(600);
        assertThat(keepAliveOf(new KeepAliveFloor(FLOOR).apply(RawMqtt.connect("device", 0)))).isZero();
    }

    @Test
    @DisplayName("a CONNECT split over frames is held until its keep-alive is in, then passed on whole")
    void waitsForTheWholeHeader() {
        KeepAliveFloor floor = new KeepAliveFloor(FLOOR);
        Buffer packet = RawMqtt.connect("device", 1);

        Buffer first = floor.apply(packet.getBuffer(0, 3));
        Buffer second = floor.apply(packet.getBuffer(3, 9));
        Buffer third = floor.apply(packet.getBuffer(9, packet.length()));

        assertThat(first.length()).isZero();
        assertThat(second.length()).isZero();
        assertThat(keepAliveOf(third)).isEqualTo(FLOOR);
        assertThat(third.length()).isEqualTo(packet.length());
    }

    @Test
    @DisplayName("bytes after the CONNECT, and a first packet that is not a CONNECT, pass unchanged")
    void passesEverythingElse() {
        KeepAliveFloor floor = new KeepAliveFloor(FLOOR);
        floor.apply(RawMqtt.connect("device", 5));
        Buffer pingreq = Buffer.buffer(new byte[] {(byte) 0xC0, 0});

        assertThat(floor.apply(pingreq)).isEqualTo(pingreq);
        assertThat(new KeepAliveFloor(FLOOR).apply(pingreq)).isEqualTo(pingreq);
    }

    private static int keepAliveOf(Buffer connect) {
        // Fixed header of 2 bytes, then the protocol name "MQTT" with its length, the level and the flags.
        return connect.getUnsignedShort(2 + 2 + 4 + 1 + 1);
    }
}
