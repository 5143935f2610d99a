package dev.tether.local.iam;

import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;
import software.amazon.awssdk.identity.spi.AwsSessionCredentialsIdentity;

import java.time.Clock;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * Every access key the stand-ins accept: the static keys of the configuration and the temporary credentials the STS
 * stand-in issued. Thread-safe and non-blocking, so its lookup can serve {@code SigV4Verifier} on an event loop.
 * Expired temporary credentials are not found, and are dropped when looked up.
 */
public final class IdentityStore {
    private final ConcurrentMap<String, Identity> identities = new ConcurrentHashMap<>();
    private final Clock clock;

    /** @param clock decides when temporary credentials have expired */
    public IdentityStore(Clock clock) {
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * Adds an identity.
     *
     * @throws IllegalArgumentException when its access key id is already known
     */
    public void add(Identity identity) {
        Identity previous = identities.putIfAbsent(identity.accessKeyId(), identity);
        if (previous != null) {
            throw new IllegalArgumentException("access key id " + identity.accessKeyId() + " is already in use");
        }
    }

    /** The identity of an access key id, unless unknown or expired. */
    public Optional<Identity> find(String accessKeyId) {
        Identity identity = identities.get(accessKeyId);
        if (identity == null) {
            return Optional.empty();
        }
        if (identity.isExpiredAt(clock.instant())) {
            identities.remove(accessKeyId, identity);
            return Optional.empty();
        }
        return Optional.of(identity);
    }

    /** The lookup {@code SigV4Verifier} needs: the secret and, for temporary credentials, the session token. */
    public Optional<AwsCredentialsIdentity> credentials(String accessKeyId) {
        return find(accessKeyId).map(identity -> identity.sessionToken().isPresent()
                ? AwsSessionCredentialsIdentity.create(identity.accessKeyId(), identity.secretAccessKey(),
                        identity.sessionToken().get())
                : AwsCredentialsIdentity.create(identity.accessKeyId(), identity.secretAccessKey()));
    }
}
