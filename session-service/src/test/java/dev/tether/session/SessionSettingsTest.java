package dev.tether.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tether.config.ConfigInvalid;
import dev.tether.config.ConfigVariable;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class SessionSettingsTest {
    @Test
    @DisplayName("without TETHER_SESSION_POOL_SIZE the pool holds 32 sessions; 0 turns it off")
    void poolSizeDefaultAndZero() {
        assertThat(SessionSettings.fromEnvironment(Map.of()).poolSize()).isEqualTo(32);
        assertThat(SessionSettings.fromEnvironment(Map.of("TETHER_SESSION_POOL_SIZE", "0")).poolSize()).isZero();
        assertThat(SessionSettings.fromEnvironment(Map.of("TETHER_SESSION_POOL_SIZE", "100000")).poolSize())
                .isEqualTo(100_000);
    }

    @ParameterizedTest
    @ValueSource(strings = {"-1", "100001", "1000000", "many", "1.5", " 3"})
    @DisplayName("a pool size that is not a whole number from 0 to 100000 is refused, naming variable and range")
    void badPoolSizeRefused(String value) {
        assertThatThrownBy(() -> SessionSettings.fromEnvironment(Map.of("TETHER_SESSION_POOL_SIZE", value)))
                .isInstanceOfSatisfying(ConfigInvalid.class, invalid -> assertThat(invalid.problems())
                        .singleElement()
                        .satisfies(problem -> {
                            assertThat(problem.variable()).isEqualTo(ConfigVariable.TETHER_SESSION_POOL_SIZE);
                            assertThat(problem.message()).isEqualTo("value '" + value + "' is not allowed; "
                                    + "allowed is a whole number from 0 to 100000");
                        }));
    }
}
