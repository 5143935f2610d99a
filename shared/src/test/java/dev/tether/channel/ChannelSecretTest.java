package dev.tether.channel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ChannelSecretTest {
    @ParameterizedTest
    @ValueSource(ints = {0, 1, 16, 31})
    @DisplayName("A secret shorter than 32 bytes is refused with the length found and the minimum")
    void shortSecret_isRefused(int length) {
        byte[] bytes = new byte[length];
        Arrays.fill(bytes, (byte) 'k');

        assertThatThrownBy(() -> ChannelSecret.fromBytes(bytes))
                .isInstanceOf(ChannelSecretTooShort.class)
                .hasMessageContaining("channel secret has " + length + " bytes; at least 32 bytes are required")
                .message().doesNotContain("kkkk");
    }

    @Test
    void secretOf32Bytes_isAccepted() {
        assertThat(ChannelSecret.fromBytes(new byte[32]).lengthBytes()).isEqualTo(32);
    }

    @Test
    @DisplayName("Text is measured in UTF-8 bytes, not characters")
    void text_isMeasuredInUtf8Bytes() {
        String sixteenAccents = "\u00e9".repeat(16);

        assertThat(ChannelSecret.fromUtf8(sixteenAccents).lengthBytes()).isEqualTo(32);
        assertThatThrownBy(() -> ChannelSecret.fromUtf8("x".repeat(31)))
                .isInstanceOf(ChannelSecretTooShort.class)
                .hasMessageContaining("has 31 bytes");
    }

    @Test
    void null_isRefused() {
        assertThatThrownBy(() -> ChannelSecret.fromUtf8(null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> ChannelSecret.fromBytes(null)).isInstanceOf(NullPointerException.class);
    }

    @Test
    void toString_doesNotRevealTheSecret() {
        String text = "super-secret-value-that-is-long-enough";

        assertThat(ChannelSecret.fromUtf8(text).toString())
                .isEqualTo("ChannelSecret[redacted]")
                .doesNotContain("super");
    }

    @Test
    @DisplayName("Changing the caller's array afterwards does not change the secret")
    void bytes_areCopied() {
        byte[] bytes = "a channel secret of at least 32 bytes".getBytes(StandardCharsets.UTF_8);
        ChannelIds before = new ChannelIds(ChannelSecret.fromBytes(bytes), Clock.systemUTC(), new SecureRandom());
        ChannelSecret kept = ChannelSecret.fromBytes(bytes);
        String issued = before.issue(Duration.ofMinutes(1)).value();

        Arrays.fill(bytes, (byte) 0);

        ChannelIds after = new ChannelIds(kept, Clock.systemUTC(), new SecureRandom());
        assertThat(after.verify(issued).value()).isEqualTo(issued);
    }
}
