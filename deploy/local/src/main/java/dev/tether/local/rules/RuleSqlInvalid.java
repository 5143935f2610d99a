package dev.tether.local.rules;

/** A topic rule's SQL statement that this stand-in cannot run; the message says what is supported. */
public final class RuleSqlInvalid extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** @param message what was wrong and what is allowed */
    public RuleSqlInvalid(String message) {
        super(message);
    }
}
