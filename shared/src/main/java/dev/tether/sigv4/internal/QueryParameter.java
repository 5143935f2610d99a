package dev.tether.sigv4.internal;

import java.util.Objects;

/**
 * One query parameter, name and value decoded.
 *
 * @param name the decoded name
 * @param value the decoded value, empty when the parameter had none
 */
public record QueryParameter(String name, String value) {
    /** Refuses nulls. */
    public QueryParameter {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(value, "value");
    }
}
