package dev.tether.session;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tether.channel.ChannelId;
import dev.tether.channel.ChannelIds;
import dev.tether.channel.ChannelSecret;
import dev.tether.testing.MutableClock;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;

/**
 * {@link ChannelPool} over a minter that issues real channel ids, with credentials expiring when the test says, and
 * that can be made to fail as STS does.
 */
@ExtendWith(VertxExtension.class)
class ChannelPoolTest {
    private static final Duration CHANNEL_TTL = Duration.ofMinutes(5);
    private static final Duration CREDENTIALS_DURATION = Duration.ofMinutes(15);

    private final MutableClock clock = new MutableClock(Instant.parse("2026-12-03T12:00:00Z"));
    private final ChannelIds channelIds = new ChannelIds(
            ChannelSecret.fromUtf8("a-channel-secret-of-at-least-32-bytes!"), clock, new SecureRandom());
    private final AtomicInteger mints = new AtomicInteger();
    private final AtomicBoolean stsDown = new AtomicBoolean();
    private ChannelPool pool;

    private final ChannelMinter minter = () -> {
        mints.incrementAndGet();
        if (stsDown.get()) {
            return Future.failedFuture(new StsUnavailable("STS could not be reached for scoped credentials", null));
        }
        ChannelId channel = channelIds.issue(CHANNEL_TTL);
        AwsSessionCredentials credentials = AwsSessionCredentials.builder()
                .accessKeyId("ASIA" + mints.get())
                .secretAccessKey("secret")
                .sessionToken("token")
                .expirationTime(clock.instant().plus(CREDENTIALS_DURATION))
                .build();
        return Future.succeededFuture(new MintedChannel(channel, MintedChannel.clientIdOf(channel), credentials,
                true));
    };

    @AfterEach
    void closePool() {
        if (pool != null) {
            pool.close();
        }
    }

    private ChannelPool pool(Vertx vertx, int capacity) {
        pool = new ChannelPool(vertx, minter, capacity, clock, CHANNEL_TTL.dividedBy(2), Duration.ofMinutes(5),
                Duration.ofHours(1));
        return pool;
    }

    private static Future<Void> whenReady(Vertx vertx, ChannelPool pool, int count) {
        Promise<Void> ready = Promise.promise();
        vertx.setPeriodic(5, id -> {
            if (pool.readyCount() >= count) {
                vertx.cancelTimer(id);
                ready.tryComplete();
            }
        });
        return ready.future();
    }

    @Test
    @DisplayName("the pool fills to its capacity, hands each channel out once, and tops itself up")
    void fillsServesOnceAndRefills(Vertx vertx, VertxTestContext context) {
        ChannelPool pool = pool(vertx, 5);
        List<String> served = new ArrayList<>();
        whenReady(vertx, pool, 5)
                .compose(full -> {
                    assertThat(mints.get()).isEqualTo(5);
                    List<Future<MintedChannel>> taken = new ArrayList<>();
                    for (int i = 0; i < 5; i++) {
                        taken.add(pool.mint());
                    }
                    taken.forEach(channel -> served.add(channel.result().channel().value()));
                    return whenReady(vertx, pool, 5);
                })
                .onComplete(context.succeeding(refilled -> context.verify(() -> {
                    assertThat(served).doesNotHaveDuplicates().hasSize(5);
                    assertThat(mints.get()).isEqualTo(10);
                    context.completeNow();
                })));
    }

    @Test
    @DisplayName("a pooled channel with less than half its time to live left is dropped, never served")
    void staleChannelsAreNotServed(Vertx vertx, VertxTestContext context) {
        ChannelPool pool = pool(vertx, 2);
        whenReady(vertx, pool, 2)
                .compose(full -> {
                    clock.advance(CHANNEL_TTL.dividedBy(2).plusSeconds(1));
                    return pool.mint();
                })
                .onComplete(context.succeeding(channel -> context.verify(() -> {
                    // Both pooled channels were stale, so this one was minted on demand, now.
                    assertThat(channel.channel().expiresAt()).isEqualTo(clock.instant().plus(CHANNEL_TTL));
                    assertThat(pool.isFresh(channel, clock.instant())).isTrue();
                    context.completeNow();
                })));
    }

    @Test
    @DisplayName("a pooled channel whose credentials expire within the URL lifetime is not fresh")
    void credentialsNearExpiryAreNotFresh(Vertx vertx, VertxTestContext context) {
        ChannelPool pool = pool(vertx, 1);
        pool.mint()
                .onComplete(context.succeeding(channel -> context.verify(() -> {
                    Instant now = clock.instant();
                    assertThat(pool.isFresh(channel, now)).isTrue();
                    Instant credentialsLeaveFiveMinutes = channel.credentialsExpireAt().orElseThrow()
                            .minus(Duration.ofMinutes(5)).plusSeconds(1);
                    assertThat(pool.isFresh(channel, credentialsLeaveFiveMinutes)).isFalse();
                    context.completeNow();
                })));
    }

    @Test
    @DisplayName("with STS down and the pool empty, a request gets the STS failure, not a channel")
    void emptyPoolWithStsDownFails(Vertx vertx, VertxTestContext context) {
        stsDown.set(true);
        ChannelPool pool = pool(vertx, 3);

        pool.mint()
                .onComplete(context.failing(failure -> context.verify(() -> {
                    assertThat(failure).isInstanceOf(StsUnavailable.class)
                            .hasMessage("STS could not be reached for scoped credentials");
                    assertThat(pool.readyCount()).isZero();
                    context.completeNow();
                })));
    }

    @Test
    @DisplayName("after STS fails, the pool backs off instead of calling STS for every request")
    void backsOffAfterFailure(Vertx vertx, VertxTestContext context) {
        stsDown.set(true);
        ChannelPool pool = pool(vertx, 3);
        int mintsAtStart = mints.get();

        // Each request still tries once on demand; the background refill does not add calls while backing off.
        Future.all(pool.mint(), pool.mint(), pool.mint())
                .onComplete(context.failing(failure -> context.verify(() -> {
                    assertThat(mints.get() - mintsAtStart).isEqualTo(3);
                    assertThat(mintsAtStart).isLessThanOrEqualTo(ChannelPool.MAX_CONCURRENT_MINTS);
                    context.completeNow();
                })));
    }
}
