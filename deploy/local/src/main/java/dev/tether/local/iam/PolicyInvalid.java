package dev.tether.local.iam;

/** An IAM policy document that cannot be parsed or uses something this stand-in does not evaluate. */
public final class PolicyInvalid extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** @param message what was wrong and what is allowed */
    public PolicyInvalid(String message) {
        super(message);
    }
}
