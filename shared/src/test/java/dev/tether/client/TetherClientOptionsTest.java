package dev.tether.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class TetherClientOptionsTest {
    @Test
    void defaults_usePrefixTether_andNoReconnect() {
        TetherClientOptions options = TetherClientOptions.of("http://127.0.0.1:8080/session");

        assertThat(options.topicPrefix()).isEqualTo("tether");
        assertThat(options.reconnect()).isEmpty();
    }

    @Test
    void nonHttpServiceUrl_isRefused() {
        assertThatThrownBy(() -> TetherClientOptions.of("ws://127.0.0.1/session"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("http:// or https://");
    }

    @Test
    void wildcardOrEmptyPrefix_isRefused() {
        TetherClientOptions options = TetherClientOptions.of("http://h/session");

        assertThatThrownBy(() -> options.withTopicPrefix("a/#")).hasMessageContaining("without + or #");
        assertThatThrownBy(() -> options.withTopicPrefix("")).hasMessageContaining("non-empty");
    }

    @Test
    void nonPositiveTimeouts_areRefused() {
        TetherClientOptions options = TetherClientOptions.of("http://h/session");

        assertThatThrownBy(() -> options.withTimeouts(Duration.ZERO, Duration.ofSeconds(1)))
                .hasMessageContaining("readyTimeout must be positive");
        assertThatThrownBy(() -> options.withTimeouts(Duration.ofSeconds(1), Duration.ofSeconds(-1)))
                .hasMessageContaining("requestTimeout must be positive");
    }
}
