package dev.tether.local.iam;

/**
 * The outcome of evaluating one request against policies, in IAM's terms ("Policy evaluation logic" in the IAM
 * user guide).
 */
public enum Decision {
    /** At least one statement allows and none denies. */
    ALLOWED,
    /** A statement denies explicitly; no Allow can override it. */
    EXPLICIT_DENY,
    /** No statement matches; IAM denies by default. */
    IMPLICIT_DENY;

    /** Whether the request may go ahead. */
    public boolean isAllowed() {
        return this == ALLOWED;
    }
}
