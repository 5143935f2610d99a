package dev.tether.responder;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tether.config.ConfigInvalid;
import dev.tether.config.ConfigProblem;
import dev.tether.config.ConfigVariable;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class ResponderConfigTest {
    private static final Map<String, String> REQUIRED = Map.of(
            "AWS_REGION", "us-east-1",
            "TETHER_ENDPOINT", "ws://127.0.0.1:9001/mqtt",
            "TETHER_CHANNEL_SECRET", "a channel secret of at least thirty-two bytes");

    @Test
    @DisplayName("Unset variables take their documented defaults, and the handler is made fresh per session")
    void defaults() {
        ResponderConfig config = ResponderConfig.fromEnvironment(REQUIRED);

        assertThat(config.maxDuration()).isEqualTo(Duration.ofHours(1));
        assertThat(config.shareGroup()).isEqualTo("tether-responders");
        assertThat(config.settings().claimWindow()).isEqualTo(Duration.ofMillis(200));
        assertThat(config.shutdownGrace()).isEqualTo(Duration.ofSeconds(30));
        assertThat(config.httpPort()).isEqualTo(8081);
        assertThat(config.handlers().get()).isInstanceOf(PongHandler.class).isNotSameAs(config.handlers().get());
        assertThat(config.settings().idleTimeout()).isEqualTo(Duration.ofSeconds(30));
    }

    @Test
    @DisplayName("Every bad value is reported at once, naming the variable, the value and what is allowed")
    void badValues_allReported() {
        Map<String, String> env = new HashMap<>(REQUIRED);
        env.put("TETHER_HANDLER_CLASS", "java.lang.String");
        env.put("TETHER_MAX_SESSION_SECONDS", "0");
        env.put("TETHER_SHARE_GROUP", "a/b");
        env.put("TETHER_SHUTDOWN_GRACE_SECONDS", "121");
        env.put("TETHER_RESPONDER_HTTP_PORT", "http");

        assertThatThrownBy(() -> ResponderConfig.fromEnvironment(env))
                .isInstanceOfSatisfying(ConfigInvalid.class, invalid -> assertThat(invalid.problems())
                        .extracting(ConfigProblem::variable)
                        .containsExactly(ConfigVariable.TETHER_HANDLER_CLASS, ConfigVariable.TETHER_MAX_SESSION_SECONDS,
                                ConfigVariable.TETHER_SHARE_GROUP, ConfigVariable.TETHER_SHUTDOWN_GRACE_SECONDS,
                                ConfigVariable.TETHER_RESPONDER_HTTP_PORT))
                .hasMessageContaining("class 'java.lang.String' is not a SessionHandler")
                .hasMessageContaining("value '0' is not allowed; allowed is a whole number from 1 to 86400")
                .hasMessageContaining("value 'a/b' is not allowed; allowed are 1 to 64 letters, digits, _ and -")
                .hasMessageContaining("value '121' is not allowed; allowed is a whole number from 1 to 120")
                .hasMessageContaining("value 'http' is not allowed; allowed is a whole number from 0 to 65535");
    }

    @Test
    @DisplayName("A handler class that does not exist is named, with what a handler class must be")
    void missingHandlerClass() {
        Map<String, String> env = new HashMap<>(REQUIRED);
        env.put("TETHER_HANDLER_CLASS", "com.example.Missing");

        assertThatThrownBy(() -> ResponderConfig.fromEnvironment(env))
                .hasMessageContaining("TETHER_HANDLER_CLASS: class 'com.example.Missing' is not found; allowed is "
                        + "the name of a public class implementing dev.tether.responder.SessionHandler");
    }
}
