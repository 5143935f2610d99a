package dev.tether.credentials;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.tether.credentials.CachedCredentials.Timing;
import dev.tether.testing.MutableClock;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.junit5.Checkpoint;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;

@ExtendWith(VertxExtension.class)
class CachedCredentialsTest {
    private static final Instant START = Instant.parse("2026-12-03T12:00:00Z");
    private static final Duration LIFETIME = Duration.ofHours(1);
    // Stale 1 minute before expiry, prefetch 5 minutes before, static keys every 15 minutes.
    private static final Timing TIMING = Timing.defaults();

    private final MutableClock clock = new MutableClock(START);
    private final CountDownLatch warned = new CountDownLatch(1);
    private final ListAppender<ILoggingEvent> logs = new ListAppender<>() {
        @Override
        protected void append(ILoggingEvent event) {
            super.append(event);
            if (event.getLevel() == Level.WARN) {
                warned.countDown();
            }
        }
    };
    private final Logger logger = (Logger) LoggerFactory.getLogger(CachedCredentials.class);

    @BeforeEach
    void captureLogs() {
        logs.start();
        logger.addAppender(logs);
        logger.setLevel(Level.DEBUG);
    }

    @AfterEach
    void releaseLogs() {
        logger.detachAppender(logs);
        logger.setLevel(null);
    }

    /** Credentials numbered by resolution, each expiring one hour after it was resolved by the test clock. */
    private IntFunction<AwsCredentials> expiringAnHourAfterResolution() {
        return n -> AwsSessionCredentials.builder()
                .accessKeyId("AKIDTEST" + n)
                .secretAccessKey("secret-access-key-" + n)
                .sessionToken("session-token-" + n)
                .expirationTime(clock.instant().plus(LIFETIME))
                .build();
    }

    private static <T> T await(Future<T> future) throws Exception {
        return future.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    private static String accessKeyOf(Future<AwsCredentialsIdentity> future) {
        assertThat(future.isComplete()).as("answered at once").isTrue();
        return future.result().accessKeyId();
    }

    @Test
    @DisplayName("Fresh credentials are served from the cache without resolving again")
    void freshCredentials_areServedFromTheCache(Vertx vertx) throws Exception {
        CountingProvider provider = new CountingProvider(expiringAnHourAfterResolution());
        CachedCredentials credentials = new CachedCredentials(vertx, provider, clock, TIMING);

        AwsCredentialsIdentity first = await(credentials.current());
        clock.advance(Duration.ofMinutes(54));
        List<String> later = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            later.add(accessKeyOf(credentials.current()));
        }

        assertThat(first.accessKeyId()).isEqualTo("AKIDTEST1");
        assertThat(first.secretAccessKey()).isEqualTo("secret-access-key-1");
        assertThat(later).containsOnly("AKIDTEST1");
        assertThat(provider.resolutions()).isEqualTo(1);
    }

    @Test
    @DisplayName("Callers that ask while a resolution is in flight share it: one resolution for all")
    void concurrentCallers_shareOneResolution(Vertx vertx) throws Exception {
        CountingProvider provider = new CountingProvider(expiringAnHourAfterResolution());
        provider.hold();
        CachedCredentials credentials = new CachedCredentials(vertx, provider, clock, TIMING);

        List<Future<AwsCredentialsIdentity>> answers = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            answers.add(credentials.current());
        }
        provider.awaitResolutionStarted(1);
        boolean anyAnsweredEarly = answers.stream().anyMatch(Future::isComplete);
        provider.release();
        await(Future.all(answers));

        assertThat(anyAnsweredEarly).as("no caller is answered before the resolution ends").isFalse();
        assertThat(answers).extracting(answer -> answer.result().accessKeyId()).containsOnly("AKIDTEST1");
        assertThat(provider.resolutions()).isEqualTo(1);
    }

    @Test
    @DisplayName("In the prefetch window callers get the cached credentials at once while one refresh runs behind")
    void prefetchWindow_servesCachedAndRefreshesInTheBackground(Vertx vertx) throws Exception {
        CountingProvider provider = new CountingProvider(expiringAnHourAfterResolution());
        CachedCredentials credentials = new CachedCredentials(vertx, provider, clock, TIMING);
        await(credentials.current());

        clock.advance(Duration.ofMinutes(56));
        provider.hold();
        String duringPrefetch = accessKeyOf(credentials.current());
        provider.awaitResolutionStarted(2);
        String whilePrefetchRuns = accessKeyOf(credentials.current());
        provider.release();
        clock.advance(Duration.ofMinutes(3).plusSeconds(30));
        String afterwards = await(credentials.current()).accessKeyId();

        assertThat(duringPrefetch).isEqualTo("AKIDTEST1");
        assertThat(whilePrefetchRuns).isEqualTo("AKIDTEST1");
        assertThat(afterwards).isEqualTo("AKIDTEST2");
        assertThat(provider.resolutions()).isEqualTo(2);
    }

    @Test
    @DisplayName("In the stale window callers wait for fresh credentials instead of getting the old ones")
    void staleWindow_makesCallersWait(Vertx vertx) throws Exception {
        CountingProvider provider = new CountingProvider(expiringAnHourAfterResolution());
        CachedCredentials credentials = new CachedCredentials(vertx, provider, clock, TIMING);
        await(credentials.current());

        clock.advance(Duration.ofMinutes(59).plusSeconds(30));
        provider.hold();
        Future<AwsCredentialsIdentity> answer = credentials.current();
        provider.awaitResolutionStarted(2);
        boolean answeredBeforeRefresh = answer.isComplete();
        provider.release();

        assertThat(answeredBeforeRefresh).isFalse();
        assertThat(await(answer).accessKeyId()).isEqualTo("AKIDTEST2");
        assertThat(provider.resolutions()).isEqualTo(2);
    }

    @Test
    void expiredCredentials_areResolvedAgain(Vertx vertx) throws Exception {
        CountingProvider provider = new CountingProvider(expiringAnHourAfterResolution());
        CachedCredentials credentials = new CachedCredentials(vertx, provider, clock, TIMING);
        await(credentials.current());

        clock.advance(LIFETIME.plusSeconds(1));
        AwsCredentialsIdentity renewed = await(credentials.current());

        assertThat(renewed.accessKeyId()).isEqualTo("AKIDTEST2");
        assertThat(renewed.expirationTime()).contains(clock.instant().plus(LIFETIME));
    }

    @Test
    @DisplayName("Credentials without an expiration are used for one refresh interval, then resolved again")
    void credentialsWithoutExpiration_areRefreshedEachInterval(Vertx vertx) throws Exception {
        CountingProvider provider = new CountingProvider(n -> AwsBasicCredentials.create("AKIDSTATIC" + n, "s" + n));
        CachedCredentials credentials = new CachedCredentials(vertx, provider, clock, TIMING);
        await(credentials.current());

        clock.advance(Duration.ofMinutes(9));
        String beforePrefetch = accessKeyOf(credentials.current());
        int resolutionsBeforePrefetch = provider.resolutions();
        clock.advance(Duration.ofMinutes(5).plusSeconds(30));
        String afterInterval = await(credentials.current()).accessKeyId();

        assertThat(beforePrefetch).isEqualTo("AKIDSTATIC1");
        assertThat(resolutionsBeforePrefetch).isEqualTo(1);
        assertThat(afterInterval).isEqualTo("AKIDSTATIC2");
    }

    @Test
    @DisplayName("A failure with nothing cached fails the future with CredentialsUnavailable and the cause")
    void failureWithNothingCached_failsTheFuture(Vertx vertx) throws Exception {
        SdkClientException cause = SdkClientException.create("Unable to load credentials from any provider");
        CountingProvider provider = new CountingProvider(n -> {
            throw cause;
        });
        CachedCredentials credentials = new CachedCredentials(vertx, provider, clock, TIMING);

        assertThatThrownBy(() -> await(credentials.current()))
                .isInstanceOf(ExecutionException.class)
                .cause()
                .isInstanceOf(CredentialsUnavailable.class)
                .hasMessage("AWS credentials could not be resolved by CountingProvider: Unable to load credentials "
                        + "from any provider")
                .hasCause(cause);
        provider.answerWith(expiringAnHourAfterResolution());
        assertThat(await(credentials.current()).accessKeyId()).as("the next call tries again")
                .isEqualTo("AKIDTEST2");
    }

    @Test
    @DisplayName("If refreshing fails in the stale window, callers get the cached credentials, which are still valid")
    void failedRefreshBeforeExpiry_servesTheCachedCredentials(Vertx vertx) throws Exception {
        CountingProvider provider = new CountingProvider(expiringAnHourAfterResolution());
        CachedCredentials credentials = new CachedCredentials(vertx, provider, clock, TIMING);
        await(credentials.current());

        provider.answerWith(n -> {
            throw SdkClientException.create("container endpoint unreachable");
        });
        clock.advance(Duration.ofMinutes(59).plusSeconds(30));
        String served = await(credentials.current()).accessKeyId();

        assertThat(served).isEqualTo("AKIDTEST1");
        assertThat(provider.resolutions()).isEqualTo(2);
        assertThat(logs.list).filteredOn(event -> event.getLevel() == Level.WARN).singleElement().satisfies(event -> {
            assertThat(event.getFormattedMessage()).contains("Could not refresh AWS credentials from CountingProvider")
                    .contains("valid until " + START.plus(LIFETIME));
        });
        assertThat(logs.list).extracting(ILoggingEvent::getFormattedMessage)
                .noneMatch(line -> line.contains("secret-access-key") || line.contains("session-token"));
    }

    @Test
    void failedRefreshAfterExpiry_failsTheFuture(Vertx vertx) throws Exception {
        CountingProvider provider = new CountingProvider(expiringAnHourAfterResolution());
        CachedCredentials credentials = new CachedCredentials(vertx, provider, clock, TIMING);
        await(credentials.current());

        provider.answerWith(n -> {
            throw SdkClientException.create("container endpoint unreachable");
        });
        clock.advance(LIFETIME);

        assertThatThrownBy(() -> await(credentials.current()))
                .cause()
                .isInstanceOf(CredentialsUnavailable.class)
                .hasMessageContaining("container endpoint unreachable")
                .hasMessageNotContaining("secret-access-key");
    }

    @Test
    @DisplayName("After a failed prefetch the next one waits 30 seconds instead of running on every call")
    void failedPrefetch_isRetriedAfterADelay(Vertx vertx) throws Exception {
        CountingProvider provider = new CountingProvider(expiringAnHourAfterResolution());
        CachedCredentials credentials = new CachedCredentials(vertx, provider, clock, TIMING);
        await(credentials.current());
        provider.answerWith(n -> {
            throw SdkClientException.create("throttled");
        });

        clock.advance(Duration.ofMinutes(56));
        provider.hold();
        accessKeyOf(credentials.current());
        provider.awaitResolutionStarted(2);
        provider.release();
        awaitWarning();
        clock.advance(Duration.ofSeconds(29));
        String withinDelay = accessKeyOf(credentials.current());
        int resolutionsWithinDelay = provider.resolutions();
        provider.answerWith(expiringAnHourAfterResolution());
        clock.advance(Duration.ofSeconds(1));
        accessKeyOf(credentials.current());
        provider.awaitResolutionStarted(3);

        assertThat(withinDelay).isEqualTo("AKIDTEST1");
        assertThat(resolutionsWithinDelay).isEqualTo(2);
        assertThat(provider.resolutions()).isEqualTo(3);
    }

    @Test
    void expiredCredentialsFromTheProvider_areRefused(Vertx vertx) {
        CountingProvider provider = new CountingProvider(n -> AwsSessionCredentials.builder()
                .accessKeyId("AKIDOLD").secretAccessKey("old-secret").sessionToken("t")
                .expirationTime(START.minusSeconds(1)).build());
        CachedCredentials credentials = new CachedCredentials(vertx, provider, clock, TIMING);

        assertThatThrownBy(() -> await(credentials.current()))
                .cause()
                .isInstanceOf(CredentialsUnavailable.class)
                .hasMessage("CountingProvider resolved AWS credentials that expired at " + START.minusSeconds(1));
    }

    @Test
    @DisplayName("Called on an event loop, the provider runs on a worker; the answer returns on the caller's context")
    void resolution_runsOffTheEventLoop(Vertx vertx, VertxTestContext testContext) {
        CountingProvider provider = new CountingProvider(expiringAnHourAfterResolution());
        CachedCredentials credentials = new CachedCredentials(vertx, provider, clock, TIMING);
        Checkpoint answered = testContext.checkpoint();
        Context caller = vertx.getOrCreateContext();

        caller.runOnContext(ignored -> {
            assertThat(Context.isOnEventLoopThread()).isTrue();
            credentials.current().onComplete(testContext.succeeding(identity -> testContext.verify(() -> {
                assertThat(identity.accessKeyId()).isEqualTo("AKIDTEST1");
                assertThat(provider.onEventLoop()).containsExactly(false);
                assertThat(Vertx.currentContext()).isSameAs(caller);
                answered.flag();
            })));
        });
    }

    @Test
    @DisplayName("A resolution that ends before the caller has even registered for it still answers every caller")
    void resolutionThatEndsAtOnce_stillAnswers(Vertx vertx, VertxTestContext testContext) {
        int callers = 500;
        Checkpoint answered = testContext.checkpoint(callers);
        Context caller = vertx.getOrCreateContext();

        caller.runOnContext(ignored -> {
            for (int i = 0; i < callers; i++) {
                CountingProvider provider = new CountingProvider(expiringAnHourAfterResolution());
                CachedCredentials credentials = new CachedCredentials(vertx, provider, clock, TIMING);
                credentials.current().onComplete(testContext.succeeding(identity -> testContext.verify(() -> {
                    assertThat(identity.accessKeyId()).isEqualTo("AKIDTEST1");
                    answered.flag();
                })));
                // Keeps this event loop busy between callers, so that workers finish resolutions quickly and often
                // before the next caller's event loop has registered on the result: the race this test is about.
                for (int spin = 0; spin < 20_000; spin++) {
                    Thread.onSpinWait();
                }
            }
        });
    }

    @Test
    void timing_refusesWindowsOutOfOrder() {
        Duration minute = Duration.ofMinutes(1);

        assertThatThrownBy(() -> new Timing(minute.negated(), minute, minute.multipliedBy(2)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("allowed is 0 <= stale window <= prefetch window < refresh interval");
        assertThatThrownBy(() -> new Timing(minute.multipliedBy(2), minute, minute.multipliedBy(3)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Timing(minute, minute.multipliedBy(2), minute.multipliedBy(2)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("prefetch window PT2M, refresh interval PT2M");
        assertThatThrownBy(() -> new Timing(null, minute, minute)).isInstanceOf(NullPointerException.class);
    }

    @Test
    void constructor_refusesNulls(Vertx vertx) {
        CountingProvider provider = new CountingProvider(expiringAnHourAfterResolution());

        assertThatThrownBy(() -> new CachedCredentials(null, provider, clock, TIMING))
                .isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> new CachedCredentials(vertx, null, clock, TIMING))
                .isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> new CachedCredentials(vertx, provider, null, TIMING))
                .isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> new CachedCredentials(vertx, provider, clock, null))
                .isInstanceOf(NullPointerException.class);
    }

    // The warning is logged when the failed resolution completes on another thread; wait for it, bounded.
    private void awaitWarning() throws InterruptedException {
        assertThat(warned.await(10, TimeUnit.SECONDS)).as("a warning was logged within 10 seconds").isTrue();
    }
}
