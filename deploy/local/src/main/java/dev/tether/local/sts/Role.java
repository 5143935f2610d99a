package dev.tether.local.sts;

import dev.tether.local.iam.Policy;

import java.time.Duration;
import java.util.Objects;

/**
 * An IAM role the STS stand-in lets callers assume.
 *
 * @param arn such as {@code arn:aws:iam::000000000000:role/tether-client}
 * @param policy what the role allows; a session policy can only narrow it
 * @param maxSessionDuration the longest DurationSeconds allowed, 1 to 12 hours as in IAM
 */
public record Role(String arn, Policy policy, Duration maxSessionDuration) {
    /** Checks the ARN's shape and the duration. */
    public Role {
        Objects.requireNonNull(arn, "arn");
        Objects.requireNonNull(policy, "policy");
        Objects.requireNonNull(maxSessionDuration, "maxSessionDuration");
        if (!arn.matches("arn:aws:iam::\\d{12}:role/[\\w+=,.@/-]{1,512}")) {
            throw new IllegalArgumentException("role ARN '" + arn + "' is not allowed; it must look like"
                    + " arn:aws:iam::<12-digit account>:role/<name>");
        }
        if (maxSessionDuration.compareTo(Duration.ofHours(1)) < 0
                || maxSessionDuration.compareTo(Duration.ofHours(12)) > 0) {
            throw new IllegalArgumentException("the maximum session duration of role " + arn + " is "
                    + maxSessionDuration.toSeconds() + " s; IAM allows 3600 to 43200");
        }
    }

    /** The role's name: the part after {@code role/}, without any path. */
    public String name() {
        return arn.substring(arn.lastIndexOf('/') + 1);
    }

    /** The account id in the ARN. */
    public String accountId() {
        return arn.split(":")[4];
    }
}
