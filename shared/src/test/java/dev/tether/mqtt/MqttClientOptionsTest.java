package dev.tether.mqtt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.buffer.Buffer;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class MqttClientOptionsTest {
    @Test
    void defaults_matchAwsIotCore() {
        MqttClientOptions options = MqttClientOptions.of("device-1");

        assertThat(options.cleanSession()).isTrue();
        assertThat(options.maxInFlight()).isEqualTo(100);
        assertThat(options.reconnect()).isEmpty();
        assertThat(options.keepAliveSeconds()).isEqualTo(60);
    }

    @Test
    void clientIdOver128Bytes_isRefused_withTheLimit() {
        assertThat(MqttClientOptions.of("c".repeat(128)).clientId()).hasSize(128);
        assertThatThrownBy(() -> MqttClientOptions.of("c".repeat(129)))
                .isInstanceOf(MqttLimitExceeded.class)
                .hasMessageContaining("129 bytes")
                .hasMessageContaining("at most 128");
        // 43 three-byte characters are 129 bytes in UTF-8, though only 43 chars.
        assertThatThrownBy(() -> MqttClientOptions.of("\u20ac".repeat(43)))
                .isInstanceOf(MqttLimitExceeded.class)
                .hasMessageContaining("129 bytes");
    }

    @Test
    void emptyClientId_isRefused() {
        assertThatThrownBy(() -> MqttClientOptions.of("")).hasMessageContaining("client id is empty");
    }

    @Test
    void inFlightWindowOver100_isRefused() {
        assertThatThrownBy(() -> MqttClientOptions.of("c").withFlowControl(101, 10))
                .isInstanceOf(MqttLimitExceeded.class)
                .hasMessageContaining("maxInFlight must be 1 to 100");
    }

    @Test
    void badNumbers_areRefused_namingTheField() {
        assertThatThrownBy(() -> MqttClientOptions.of("c").withKeepAlive(70000, Duration.ofSeconds(1)))
                .hasMessageContaining("keepAliveSeconds must be 0 to 65535, got 70000");
        assertThatThrownBy(() -> MqttClientOptions.of("c").withKeepAlive(30, Duration.ZERO))
                .hasMessageContaining("pingResponseTimeout must be positive");
        assertThatThrownBy(() -> MqttClientOptions.of("c").withFlowControl(10, -1))
                .hasMessageContaining("maxQueuedPublishes must be 0 or more");
        assertThatThrownBy(() -> MqttClientOptions.of("c").withMaxFrameBytes(1))
                .hasMessageContaining("maxFrameBytes must be at least 2");
    }

    @Test
    void toString_neverShowsThePassword() {
        String shown = MqttClientOptions.of("c").withCredentials("user", "hunter2").toString();

        assertThat(shown).contains("user").doesNotContain("hunter2");
    }

    @Test
    void will_isCheckedAgainstAwsLimits() {
        assertThatThrownBy(() -> new MqttWill("t/#", Buffer.buffer("x"), 1, false))
                .hasMessageContaining("wildcard");
        assertThatThrownBy(() -> new MqttWill("t", Buffer.buffer(new byte[128 * 1024 + 1]), 1, false))
                .isInstanceOf(MqttLimitExceeded.class);
        assertThatThrownBy(() -> new MqttWill("t", Buffer.buffer("x"), 2, false))
                .hasMessageContaining("QoS 0 and 1 only");
    }
}
