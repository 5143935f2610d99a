package dev.tether.local.iam;

/** What a policy statement does to the requests it matches. */
public enum Effect {
    /** Allows, unless some statement denies. */
    ALLOW,
    /** Denies, whatever else allows. */
    DENY
}
