package dev.tether.credentials;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;
import software.amazon.awssdk.utils.SdkAutoCloseable;

/**
 * AWS credentials for code that runs on a Vert.x event loop.
 *
 * <p>An {@link AwsCredentialsProvider} may block on I/O (the container credentials endpoint, the instance metadata
 * service, a profile file), so it is only ever called on a Vert.x worker thread. The result is cached and served
 * from memory; for credentials that expire at {@code E}:
 * <ul>
 *   <li>before {@code E - prefetchWindow}, {@link #current()} answers at once from the cache;</li>
 *   <li>from {@code E - prefetchWindow} to {@code E - staleWindow}, it still answers at once from the cache and
 *       starts one resolution in the background;</li>
 *   <li>from {@code E - staleWindow} on, callers wait for a fresh resolution. Should it fail before {@code E},
 *       they get the cached credentials, which are still valid; after {@code E}, they get the failure.</li>
 * </ul>
 * Credentials without an expiration (static keys) are treated as expiring one refresh interval after they were
 * resolved. However many callers ask at once, at most one resolution is in flight, and they all share it. After a
 * background resolution fails, the next one is tried no sooner than {@value #PREFETCH_RETRY_SECONDS} seconds later.
 *
 * <p>Thread-safe; {@link #current()} may be called from any event loop or worker, and its future completes on the
 * caller's Vert.x context.
 */
public final class CachedCredentials implements AutoCloseable {
    /** Seconds between background resolutions when the previous one failed. */
    public static final long PREFETCH_RETRY_SECONDS = 30;

    private static final Logger LOG = LoggerFactory.getLogger(CachedCredentials.class);

    private final Vertx vertx;
    private final AwsCredentialsProvider provider;
    private final boolean ownsProvider;
    private final Clock clock;
    private final Timing timing;
    private final String providerName;

    private final Object lock = new Object();
    private Entry cached;
    private Future<Entry> inFlight;
    private Instant noPrefetchBefore = Instant.MIN;

    /**
     * When cached credentials are refreshed.
     *
     * @param staleWindow how long before expiry callers start to wait for fresh credentials
     * @param prefetchWindow how long before expiry a background resolution starts; at least the stale window
     * @param refreshInterval how long credentials without an expiration are used before they are resolved again;
     *        longer than the prefetch window
     */
    public record Timing(Duration staleWindow, Duration prefetchWindow, Duration refreshInterval) {
        /**
         * Checks the windows.
         *
         * @throws IllegalArgumentException unless {@code 0 <= staleWindow <= prefetchWindow < refreshInterval}
         */
        public Timing {
            Objects.requireNonNull(staleWindow, "staleWindow");
            Objects.requireNonNull(prefetchWindow, "prefetchWindow");
            Objects.requireNonNull(refreshInterval, "refreshInterval");
            if (staleWindow.isNegative() || prefetchWindow.compareTo(staleWindow) < 0
                    || refreshInterval.compareTo(prefetchWindow) <= 0) {
                throw new IllegalArgumentException("credential timing is stale window " + staleWindow
                        + ", prefetch window " + prefetchWindow + ", refresh interval " + refreshInterval
                        + "; allowed is 0 <= stale window <= prefetch window < refresh interval");
            }
        }

        /** Stale 1 minute before expiry, prefetch 5 minutes before, credentials without expiry every 15 minutes. */
        public static Timing defaults() {
            return new Timing(Duration.ofMinutes(1), Duration.ofMinutes(5), Duration.ofMinutes(15));
        }
    }

    /**
     * Credentials from the AWS SDK's default provider chain (environment, system properties, web identity, profile,
     * container credentials, instance profile), with the system clock and default timing. {@link #close()} closes
     * that chain.
     */
    public CachedCredentials(Vertx vertx) {
        this(vertx, DefaultCredentialsProvider.builder().build(), true, Clock.systemUTC(), Timing.defaults());
    }

    /**
     * Credentials from the given provider; {@link #close()} leaves the provider open, as the caller owns it.
     */
    public CachedCredentials(Vertx vertx, AwsCredentialsProvider provider, Clock clock, Timing timing) {
        this(vertx, provider, false, clock, timing);
    }

    private CachedCredentials(Vertx vertx, AwsCredentialsProvider provider, boolean ownsProvider, Clock clock,
            Timing timing) {
        this.vertx = Objects.requireNonNull(vertx, "vertx");
        this.provider = Objects.requireNonNull(provider, "provider");
        this.ownsProvider = ownsProvider;
        this.clock = Objects.requireNonNull(clock, "clock");
        this.timing = Objects.requireNonNull(timing, "timing");
        this.providerName = provider.getClass().getSimpleName();
    }

    /**
     * The current credentials: at once from the cache while they are fresh, otherwise once a worker thread has
     * resolved them. Never blocks the calling thread.
     *
     * @return a future completed on the caller's context with the credentials, or failed with
     *         {@link CredentialsUnavailable} wrapping the provider's exception
     */
    public Future<AwsCredentialsIdentity> current() {
        Instant now = clock.instant();
        Future<Entry> pending;
        synchronized (lock) {
            if (cached != null && now.isBefore(cached.staleAt())) {
                if (!now.isBefore(cached.prefetchAt()) && inFlight == null && !now.isBefore(noPrefetchBefore)) {
                    LOG.debug("Prefetching AWS credentials from {}, they go stale at {}", providerName,
                            cached.staleAt());
                    startResolving();
                }
                return Future.succeededFuture(cached.identity());
            }
            pending = inFlight != null ? inFlight : startResolving();
        }

        Future<AwsCredentialsIdentity> answer = pending
                .map(Entry::identity)
                .recover(this::cachedIfStillValid);
        return onCallerContext(answer, Vertx.currentContext());
    }

    /** Closes the provider if this object created it (the default chain); otherwise does nothing. */
    @Override
    public void close() {
        if (ownsProvider && provider instanceof SdkAutoCloseable closeable) {
            closeable.close();
        }
    }

    // Called with the lock held; executeBlocking only submits the work, so the lock is not held while it runs.
    // The resolution may already be over when onComplete is registered, and then, on its event loop, the handler
    // runs at once and clears inFlight; so callers use the returned future, never inFlight read afterwards.
    private Future<Entry> startResolving() {
        Future<Entry> resolution = vertx.executeBlocking(this::resolve, false);
        inFlight = resolution;
        resolution.onComplete(result -> finishResolving(resolution, result.succeeded() ? result.result() : null,
                result.cause()));
        return resolution;
    }

    // Runs on a worker thread.
    private Entry resolve() {
        AwsCredentials credentials;
        try {
            credentials = provider.resolveCredentials();
        } catch (RuntimeException e) {
            throw new CredentialsUnavailable("AWS credentials could not be resolved by " + providerName + ": "
                    + e.getMessage(), e);
        }
        if (credentials == null) {
            throw new CredentialsUnavailable(providerName + " resolved no AWS credentials", null);
        }

        Instant now = clock.instant();
        Optional<Instant> expiration = credentials.expirationTime();
        if (expiration.isPresent() && !now.isBefore(expiration.get())) {
            throw new CredentialsUnavailable(providerName + " resolved AWS credentials that expired at "
                    + expiration.get(), null);
        }
        Instant treatedAsExpiring = expiration.orElse(now.plus(timing.refreshInterval()));
        return new Entry(credentials, expiration, treatedAsExpiring.minus(timing.prefetchWindow()),
                treatedAsExpiring.minus(timing.staleWindow()));
    }

    private void finishResolving(Future<Entry> resolution, Entry resolved, Throwable failure) {
        Optional<Instant> servingUntil;
        synchronized (lock) {
            if (inFlight == resolution) {
                inFlight = null;
            }
            if (resolved != null) {
                cached = resolved;
                noPrefetchBefore = Instant.MIN;
                servingUntil = Optional.empty();
            } else {
                Instant now = clock.instant();
                noPrefetchBefore = now.plusSeconds(PREFETCH_RETRY_SECONDS);
                boolean cachedStillValid = cached != null && cached.expiration().map(now::isBefore).orElse(true);
                servingUntil = cachedStillValid ? Optional.of(cached.expiration().orElse(Instant.MAX))
                        : Optional.empty();
            }
        }

        if (resolved != null) {
            LOG.debug("Resolved AWS credentials from {}, expiring {}", providerName,
                    resolved.expiration().map(Instant::toString).orElse("never"));
        } else if (servingUntil.isPresent()) {
            // Callers get the cached credentials, so nobody else sees this failure: report it here, once.
            LOG.warn("Could not refresh AWS credentials from {}; still serving the cached ones, valid until {}; "
                    + "check the credential source", providerName,
                    servingUntil.get().equals(Instant.MAX) ? "the next refresh" : servingUntil.get(), failure);
        }
    }

    private Future<AwsCredentialsIdentity> cachedIfStillValid(Throwable failure) {
        Instant now = clock.instant();
        synchronized (lock) {
            if (cached != null && cached.expiration().map(now::isBefore).orElse(true)) {
                return Future.succeededFuture(cached.identity());
            }
        }
        return Future.failedFuture(failure instanceof CredentialsUnavailable
                ? failure
                : new CredentialsUnavailable("AWS credentials could not be resolved by " + providerName, failure));
    }

    private static <T> Future<T> onCallerContext(Future<T> future, Context caller) {
        if (caller == null) {
            return future;
        }
        Promise<T> promise = Promise.promise();
        future.onComplete(result -> {
            if (Vertx.currentContext() == caller) {
                promise.handle(result);
            } else {
                caller.runOnContext(ignored -> promise.handle(result));
            }
        });
        return promise.future();
    }

    /** Cached credentials and when to refresh them; its toString leaves the credentials out. */
    private record Entry(AwsCredentialsIdentity identity, Optional<Instant> expiration, Instant prefetchAt,
            Instant staleAt) {
        @Override
        public String toString() {
            return "Entry[expiration=" + expiration + ", prefetchAt=" + prefetchAt + ", staleAt=" + staleAt + "]";
        }
    }
}
