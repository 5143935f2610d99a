package dev.tether.credentials;

import io.vertx.core.Context;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;

/**
 * A real credentials provider for tests: it counts resolutions, records whether each ran on an event loop, can be
 * held until the test releases it, and answers what the test tells it to.
 */
final class CountingProvider implements AwsCredentialsProvider {
    private final AtomicInteger resolutions = new AtomicInteger();
    private final List<Boolean> onEventLoop = new CopyOnWriteArrayList<>();
    private final Object started = new Object();
    private volatile CountDownLatch gate = new CountDownLatch(0);
    private volatile IntFunction<AwsCredentials> answer;

    CountingProvider(IntFunction<AwsCredentials> answer) {
        this.answer = answer;
    }

    @Override
    public AwsCredentials resolveCredentials() {
        int resolution = resolutions.incrementAndGet();
        onEventLoop.add(Context.isOnEventLoopThread());
        synchronized (started) {
            started.notifyAll();
        }
        try {
            if (!gate.await(10, TimeUnit.SECONDS)) {
                throw new IllegalStateException("the test never released resolution " + resolution);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        return answer.apply(resolution);
    }

    /** Makes resolutions wait until {@link #release()}. */
    void hold() {
        gate = new CountDownLatch(1);
    }

    void release() {
        gate.countDown();
    }

    void answerWith(IntFunction<AwsCredentials> newAnswer) {
        answer = newAnswer;
    }

    /** Waits, at most 10 seconds, until resolution number {@code number} has started. */
    void awaitResolutionStarted(int number) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        synchronized (started) {
            while (resolutions.get() < number) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new AssertionError("resolution " + number + " did not start within 10 seconds");
                }
                TimeUnit.NANOSECONDS.timedWait(started, left);
            }
        }
    }

    int resolutions() {
        return resolutions.get();
    }

    List<Boolean> onEventLoop() {
        return List.copyOf(onEventLoop);
    }
}
