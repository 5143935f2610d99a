package dev.tether.local.iam;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * A caller the stand-ins know: an access key with its secret, the session token of temporary credentials, what it
 * may do, and when it stops working.
 *
 * @param accessKeyId the access key id, safe to log
 * @param secretAccessKey the secret; never logged
 * @param sessionToken the session token of temporary credentials issued by the STS stand-in; never logged
 * @param principal how presence events and logs name the caller, such as the key's name or
 *        {@code AROA...:session}
 * @param permissions the policies that decide what it may do
 * @param expiresAt when temporary credentials expire; empty for static keys
 */
public record Identity(String accessKeyId, String secretAccessKey, Optional<String> sessionToken, String principal,
        Permissions permissions, Optional<Instant> expiresAt) {
    /** Refuses nulls. */
    public Identity {
        Objects.requireNonNull(accessKeyId, "accessKeyId");
        Objects.requireNonNull(secretAccessKey, "secretAccessKey");
        Objects.requireNonNull(sessionToken, "sessionToken");
        Objects.requireNonNull(principal, "principal");
        Objects.requireNonNull(permissions, "permissions");
        Objects.requireNonNull(expiresAt, "expiresAt");
    }

    /** Whether temporary credentials have expired at the given time; static keys never do. */
    public boolean isExpiredAt(Instant now) {
        return expiresAt.isPresent() && !now.isBefore(expiresAt.get());
    }

    /** Names the key and principal only: the secret and token stay out of logs. */
    @Override
    public String toString() {
        return "Identity[accessKeyId=" + accessKeyId + ", principal=" + principal + ", temporary="
                + sessionToken.isPresent() + ']';
    }
}
