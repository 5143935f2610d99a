package dev.tether.sigv4.internal;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import javax.crypto.spec.SecretKeySpec;

/**
 * Derived SigV4 signing keys, cached per (secret, date, region, service): a key stays valid for its whole UTC
 * day, and deriving one costs four HMACs. Bounded and thread-safe.
 *
 * <p>The last key used is kept in a volatile field, so the usual case (one set of credentials signing all day)
 * costs four string comparisons and no map lookup. When the map grows past its capacity it is emptied: keys of
 * past days are never asked for again, and rebuilding the few current ones is cheap.
 */
public final class SigningKeyCache {
    private final int capacity;
    private final Map<Scope, SecretKeySpec> keys = new ConcurrentHashMap<>();
    private volatile Entry last;

    /**
     * @param capacity most keys kept; 0 derives every key afresh
     */
    public SigningKeyCache(int capacity) {
        if (capacity < 0) {
            throw new IllegalArgumentException("capacity must be 0 or more, was " + capacity);
        }
        this.capacity = capacity;
    }

    /** The signing key for the scope, derived on first use. */
    public SecretKeySpec signingKey(String secretAccessKey, String dateStamp, String region, String service) {
        if (capacity == 0) {
            return SigV4Crypto.deriveSigningKey(secretAccessKey, dateStamp, region, service);
        }
        Entry recent = last;
        if (recent != null && recent.matches(secretAccessKey, dateStamp, region, service)) {
            return recent.key;
        }
        Scope scope = new Scope(secretAccessKey, dateStamp, region, service);
        SecretKeySpec key = keys.get(scope);
        if (key == null) {
            if (keys.size() >= capacity) {
                keys.clear();
            }
            key = keys.computeIfAbsent(scope,
                    s -> SigV4Crypto.deriveSigningKey(s.secret(), s.dateStamp(), s.region(), s.service()));
        }
        last = new Entry(secretAccessKey, dateStamp, region, service, key);
        return key;
    }

    /** Holds a secret: never logged, so toString says nothing of it. */
    private record Scope(String secret, String dateStamp, String region, String service) {
        @Override
        public String toString() {
            return "Scope[" + dateStamp + '/' + region + '/' + service + ']';
        }
    }

    private static final class Entry {
        private final String secret;
        private final String dateStamp;
        private final String region;
        private final String service;
        private final SecretKeySpec key;

        Entry(String secret, String dateStamp, String region, String service, SecretKeySpec key) {
            this.secret = secret;
            this.dateStamp = dateStamp;
            this.region = region;
            this.service = service;
            this.key = key;
        }

        boolean matches(String otherSecret, String otherDate, String otherRegion, String otherService) {
            return dateStamp.equals(otherDate) && secret.equals(otherSecret) && region.equals(otherRegion)
                    && service.equals(otherService);
        }
    }
}
