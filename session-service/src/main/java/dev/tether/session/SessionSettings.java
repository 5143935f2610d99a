package dev.tether.session;

import dev.tether.config.ConfigInvalid;
import dev.tether.config.ConfigProblem;
import dev.tether.config.ConfigVariable;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Settings only the session service reads, beside {@link dev.tether.config.TetherConfig}.
 *
 * @param poolSize how many sessions are minted ahead of requests ({@code TETHER_SESSION_POOL_SIZE}); 0 mints each on
 *        demand
 */
public record SessionSettings(int poolSize) {
    /** Largest pool size accepted. */
    public static final int MAX_POOL_SIZE = 100_000;

    /**
     * Checks the values.
     *
     * @throws IllegalArgumentException if the pool size is outside 0 to {@value #MAX_POOL_SIZE}
     */
    public SessionSettings {
        if (poolSize < 0 || poolSize > MAX_POOL_SIZE) {
            throw new IllegalArgumentException("pool size is " + poolSize + "; allowed is 0 to " + MAX_POOL_SIZE);
        }
    }

    /**
     * Reads the settings from environment variables.
     *
     * @throws ConfigInvalid naming the variable, its value and what is allowed
     */
    public static SessionSettings fromEnvironment(Map<String, String> env) {
        Objects.requireNonNull(env, "env");
        ConfigVariable variable = ConfigVariable.TETHER_SESSION_POOL_SIZE;
        String value = env.get(variable.variableName());
        if (value == null || value.isEmpty()) {
            value = variable.defaultValue().orElseThrow();
        }
        if (!value.matches("[0-9]{1,6}") || Integer.parseInt(value) > MAX_POOL_SIZE) {
            String shown = value.length() > 20 ? value.substring(0, 20) + "..." : value;
            throw new ConfigInvalid(List.of(new ConfigProblem(variable, "value '" + shown
                    + "' is not allowed; allowed is a whole number from 0 to " + MAX_POOL_SIZE)));
        }
        return new SessionSettings(Integer.parseInt(value));
    }
}
