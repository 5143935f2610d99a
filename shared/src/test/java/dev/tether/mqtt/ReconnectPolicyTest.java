package dev.tether.mqtt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class ReconnectPolicyTest {
    private final ReconnectPolicy policy = new ReconnectPolicy(Duration.ofMillis(100), Duration.ofSeconds(2), 2.0,
            0.5, 10);

    @Test
    void delay_doublesFromAttemptToAttempt_withoutJitter() {
        assertThat(policy.delayBefore(1, 0.0)).isEqualTo(Duration.ofMillis(100));
        assertThat(policy.delayBefore(2, 0.0)).isEqualTo(Duration.ofMillis(200));
        assertThat(policy.delayBefore(4, 0.0)).isEqualTo(Duration.ofMillis(800));
    }

    @Test
    void delay_isCappedAtMaxDelay() {
        assertThat(policy.delayBefore(30, 0.0)).isEqualTo(Duration.ofSeconds(2));
    }

    @Test
    void jitter_takesAtMostItsFractionOff() {
        assertThat(policy.delayBefore(2, 0.999)).isEqualTo(Duration.ofMillis(100));
        assertThat(policy.delayBefore(2, 0.5)).isEqualTo(Duration.ofMillis(150));
    }

    @Test
    void outOfRangeValues_areRefused_namingTheValue() {
        assertThatThrownBy(() -> new ReconnectPolicy(Duration.ZERO, Duration.ofSeconds(1), 2.0, 0.5, 1))
                .hasMessageContaining("initialDelay must be positive");
        assertThatThrownBy(() -> new ReconnectPolicy(Duration.ofSeconds(2), Duration.ofSeconds(1), 2.0, 0.5, 1))
                .hasMessageContaining("maxDelay must be at least initialDelay");
        assertThatThrownBy(() -> new ReconnectPolicy(Duration.ofSeconds(1), Duration.ofSeconds(1), 0.5, 0.5, 1))
                .hasMessageContaining("multiplier must be at least 1, got 0.5");
        assertThatThrownBy(() -> new ReconnectPolicy(Duration.ofSeconds(1), Duration.ofSeconds(1), 2.0, 1.5, 1))
                .hasMessageContaining("jitter must be between 0 and 1, got 1.5");
        assertThatThrownBy(() -> new ReconnectPolicy(Duration.ofSeconds(1), Duration.ofSeconds(1), 2.0, 0.5, 0))
                .hasMessageContaining("maxAttempts must be at least 1, got 0");
        assertThatThrownBy(() -> policy.delayBefore(0, 0.0)).hasMessageContaining("attempt counts from 1");
    }
}
