package dev.tether.config;

import java.util.Objects;

/**
 * One thing wrong with the configuration.
 *
 * @param variable the variable at fault
 * @param message what was wrong with it and what is allowed; a secret's value is never part of it
 */
public record ConfigProblem(ConfigVariable variable, String message) {
    /** A problem with the given variable. */
    public ConfigProblem {
        Objects.requireNonNull(variable, "variable");
        Objects.requireNonNull(message, "message");
    }
}
