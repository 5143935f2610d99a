package dev.tether.session;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A bounded pool of channels minted ahead of requests, so that a request need not wait for STS.
 *
 * <p>{@link #mint()} hands out the oldest channel that is still fresh, each once, and tops the pool up in the
 * background; when the pool is empty it mints one on demand. A channel is fresh while its id has at least
 * {@code minChannelLife} left and its credentials at least {@code minCredentialsLife}; stale ones are dropped, both
 * when met and by a periodic sweep. After a failed mint the pool waits before it tries again, 1 s doubling up to
 * {@value #MAX_BACKOFF_SECONDS} s, and a request that finds the pool empty meanwhile gets the on-demand mint's own
 * result, so STS being down shows as that request's failure rather than as a stale channel.
 *
 * <p>Thread-safe: verticle instances on different event loops share one pool. No method blocks.
 */
public final class ChannelPool implements ChannelMinter, AutoCloseable {
    /** Longest wait between mints after failures, in seconds. */
    public static final long MAX_BACKOFF_SECONDS = 30;

    /** Most mints in flight at once, so that refilling never takes every worker thread. */
    public static final int MAX_CONCURRENT_MINTS = 4;

    private static final Logger LOG = LoggerFactory.getLogger(ChannelPool.class);
    private static final long FIRST_BACKOFF_MILLIS = 1_000;

    private final Vertx vertx;
    private final ChannelMinter minter;
    private final int capacity;
    private final Clock clock;
    private final Duration minChannelLife;
    private final Duration minCredentialsLife;
    private final long sweepTimerId;

    private final Queue<MintedChannel> ready = new ConcurrentLinkedQueue<>();
    private final AtomicInteger readyCount = new AtomicInteger();
    private final Object lock = new Object();
    private int minting;
    private long backoffMillis;
    private boolean backingOff;
    private boolean closed;

    /**
     * A pool of up to {@code capacity} channels from {@code minter}; it starts filling at once.
     *
     * @param sweepInterval how often stale channels are dropped and the pool topped up
     * @throws IllegalArgumentException if the capacity is not positive
     */
    public ChannelPool(Vertx vertx, ChannelMinter minter, int capacity, Clock clock, Duration minChannelLife,
            Duration minCredentialsLife, Duration sweepInterval) {
        if (capacity < 1) {
            throw new IllegalArgumentException("pool capacity is " + capacity + "; allowed is at least 1");
        }
        this.vertx = Objects.requireNonNull(vertx, "vertx");
        this.minter = Objects.requireNonNull(minter, "minter");
        this.capacity = capacity;
        this.clock = Objects.requireNonNull(clock, "clock");
        this.minChannelLife = Objects.requireNonNull(minChannelLife, "minChannelLife");
        this.minCredentialsLife = Objects.requireNonNull(minCredentialsLife, "minCredentialsLife");
        this.sweepTimerId = vertx.setPeriodic(Math.max(1, sweepInterval.toMillis()), id -> sweep());
        refill();
    }

    /**
     * A fresh channel from the pool, or, when it has none, one minted on demand.
     *
     * @return a future failed as {@link ChannelMinter#mint()} says when the pool is empty and minting fails
     */
    @Override
    public Future<MintedChannel> mint() {
        Instant now = clock.instant();
        MintedChannel channel;
        while ((channel = ready.poll()) != null) {
            readyCount.decrementAndGet();
            if (isFresh(channel, now)) {
                refill();
                return Future.succeededFuture(channel);
            }
            LOG.debug("{} dropped from the session pool: near expiry", channel.channel());
        }
        refill();
        return minter.mint();
    }

    /** How many fresh or not yet checked channels wait in the pool. */
    public int readyCount() {
        return readyCount.get();
    }

    /** Stops refilling and drops the pool's channels; mints in flight are discarded when they end. */
    @Override
    public void close() {
        synchronized (lock) {
            closed = true;
        }
        vertx.cancelTimer(sweepTimerId);
        ready.clear();
        readyCount.set(0);
    }

    boolean isFresh(MintedChannel channel, Instant now) {
        boolean channelFresh = !channel.channel().expiresAt().isBefore(now.plus(minChannelLife));
        boolean credentialsFresh = channel.credentialsExpireAt()
                .map(expiry -> !expiry.isBefore(now.plus(minCredentialsLife)))
                .orElse(true);
        return channelFresh && credentialsFresh;
    }

    private void sweep() {
        Instant now = clock.instant();
        // Channels are queued in the order they were minted, so the stale ones are at the head.
        MintedChannel head;
        while ((head = ready.peek()) != null && !isFresh(head, now)) {
            if (ready.remove(head)) {
                readyCount.decrementAndGet();
            }
        }
        refill();
    }

    private void refill() {
        int toStart;
        synchronized (lock) {
            if (closed || backingOff) {
                return;
            }
            int missing = capacity - readyCount.get() - minting;
            toStart = Math.max(0, Math.min(missing, MAX_CONCURRENT_MINTS - minting));
            minting += toStart;
        }
        for (int i = 0; i < toStart; i++) {
            minter.mint()
                    .onSuccess(this::added)
                    .onFailure(this::failed);
        }
    }

    private void added(MintedChannel channel) {
        synchronized (lock) {
            minting--;
            backoffMillis = 0;
            if (closed) {
                return;
            }
        }
        ready.add(channel);
        readyCount.incrementAndGet();
        refill();
    }

    private void failed(Throwable failure) {
        long delay;
        synchronized (lock) {
            minting--;
            if (closed || backingOff) {
                return;
            }
            boolean firstFailure = backoffMillis == 0;
            backoffMillis = firstFailure ? FIRST_BACKOFF_MILLIS
                    : Math.min(backoffMillis * 2, MAX_BACKOFF_SECONDS * 1000);
            delay = backoffMillis;
            backingOff = true;
            if (firstFailure) {
                LOG.warn("session pool could not mint a channel, retrying with backoff up to {} s: {}",
                        MAX_BACKOFF_SECONDS, failure.getMessage());
            }
        }
        vertx.setTimer(delay, id -> retry());
    }

    private void retry() {
        synchronized (lock) {
            backingOff = false;
        }
        refill();
    }
}
