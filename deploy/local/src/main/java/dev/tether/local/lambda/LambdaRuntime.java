package dev.tether.local.lambda;

import dev.tether.local.rules.TopicRuleFunction;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one function as Lambda does: each instance takes one invocation at a time; an invocation that finds no idle
 * instance starts a new one (a cold start) up to the function's concurrency limit; idle instances are reused (warm)
 * and stopped after {@link FunctionConfig#idleStop()}; an invocation that passes the timeout fails with
 * {@code Sandbox.Timedout} and its instance is stopped, as Lambda discards an environment whose invocation timed
 * out. Each invocation is logged as a REPORT line and kept in {@link #reports()}.
 *
 * <p>Synchronous invocations over the concurrency limit are refused with {@link Throttled}; asynchronous ones (the
 * IoT rule action) wait in a queue, as Lambda's event queue holds them, and are not retried when they fail.
 *
 * <p>Every method may be called from any thread; the pool is kept on one Vert.x context.
 */
public abstract sealed class LambdaRuntime permits InProcessRuntime, ProcessRuntime {
    private static final Logger LOG = LoggerFactory.getLogger(LambdaRuntime.class);
    /** Asynchronous invocations held while every instance is busy. */
    static final int MAX_QUEUED = 100_000;

    protected final Vertx vertx;
    protected final FunctionConfig config;
    final Context context;
    private final Deque<Instance> idle = new ArrayDeque<>();
    private final Map<Instance, Long> idleSince = new HashMap<>();
    private final Set<Instance> instances = new HashSet<>();
    private final Deque<Queued> queue = new ArrayDeque<>();
    private final List<Report> reports = new CopyOnWriteArrayList<>();
    private final long reaper;
    private int starting;
    private boolean closed;

    LambdaRuntime(Vertx vertx, FunctionConfig config) {
        this.vertx = Objects.requireNonNull(vertx, "vertx");
        this.config = Objects.requireNonNull(config, "config");
        this.context = vertx.getOrCreateContext();
        long period = Math.max(100, Math.min(config.idleStop().toMillis() / 2, 10_000));
        this.reaper = vertx.setPeriodic(period, id -> context.runOnContext(ignored -> stopIdle()));
    }

    /** Starts one instance; the future fails with {@link InstanceFailed} when the function cannot start. */
    abstract Future<Instance> startInstance();

    /** The function this runtime runs. */
    public FunctionConfig config() {
        return config;
    }

    /**
     * Invokes the function and answers its result, as Lambda's synchronous Invoke does.
     *
     * @return the result, or a failed future with {@link Throttled} when every instance is busy at the limit
     */
    public Future<InvocationResult> invoke(Buffer event) {
        Promise<InvocationResult> result = Promise.promise();
        context.runOnContext(ignored -> {
            if (closed) {
                result.fail(new IllegalStateException("the Lambda runtime for " + config.name() + " is closed"));
                return;
            }
            Instance instance = idle.pollFirst();
            if (instance != null) {
                run(instance, newRequestId(), event, false, result);
            } else if (instances.size() + starting < config.maxConcurrency()) {
                coldStart(newRequestId(), event, result);
            } else {
                result.fail(new Throttled(config.name(), config.maxConcurrency()));
            }
        });
        return result.future();
    }

    /**
     * Queues the event for an asynchronous invocation, as Lambda's {@code Event} invocation type and the IoT rule
     * action do: the future says only whether it was accepted. A failed invocation is logged, not retried.
     */
    public Future<Void> invokeAsync(Buffer event) {
        Promise<Void> accepted = Promise.promise();
        context.runOnContext(ignored -> {
            if (closed) {
                accepted.fail(new IllegalStateException("the Lambda runtime for " + config.name() + " is closed"));
            } else if (queue.size() >= MAX_QUEUED) {
                accepted.fail(new IllegalStateException("the event queue of " + config.name() + " holds "
                        + MAX_QUEUED + " invocations, its limit"));
            } else {
                queue.addLast(new Queued(newRequestId(), event));
                accepted.complete();
                dispatchQueued();
            }
        });
        return accepted.future();
    }

    /** The IoT rule action that invokes this function asynchronously with each selected message. */
    public TopicRuleFunction ruleAction() {
        return (topic, payload) -> invokeAsync(payload.toBuffer());
    }

    /** Every invocation's report so far, oldest first. */
    public List<Report> reports() {
        return List.copyOf(reports);
    }

    /** How many instances are running, busy or idle. */
    public Future<Integer> instanceCount() {
        Promise<Integer> count = Promise.promise();
        context.runOnContext(ignored -> count.complete(instances.size()));
        return count.future();
    }

    /** Stops every instance and refuses further invocations. */
    public Future<Void> close() {
        Promise<Void> closedAll = Promise.promise();
        context.runOnContext(ignored -> {
            closed = true;
            vertx.cancelTimer(reaper);
            queue.clear();
            List<Future<Void>> stops = new ArrayList<>();
            for (Instance instance : instances) {
                stops.add(instance.stop());
            }
            instances.clear();
            idle.clear();
            Future.join(stops).<Void>mapEmpty().onComplete(closedAll);
        });
        return closedAll.future();
    }

    private void dispatchQueued() {
        while (!queue.isEmpty()) {
            Instance instance = idle.pollFirst();
            if (instance != null) {
                Queued next = queue.pollFirst();
                run(instance, next.requestId(), next.event(), false, asyncOutcome(next.requestId()));
            } else if (instances.size() + starting < config.maxConcurrency()) {
                Queued next = queue.pollFirst();
                coldStart(next.requestId(), next.event(), asyncOutcome(next.requestId()));
            } else {
                return;
            }
        }
    }

    private Promise<InvocationResult> asyncOutcome(String requestId) {
        Promise<InvocationResult> outcome = Promise.promise();
        outcome.future().onComplete(done -> {
            if (done.failed()) {
                LOG.warn("{} asynchronous invocation {} failed: {}", config.name(), requestId,
                        done.cause().getMessage());
            } else if (!done.result().succeeded()) {
                LOG.warn("{} asynchronous invocation {} failed: {}: {}", config.name(), requestId,
                        done.result().errorType().orElse("?"), done.result().errorMessage().orElse(""));
            }
        });
        return outcome;
    }

    private void coldStart(String requestId, Buffer event, Promise<InvocationResult> result) {
        starting++;
        long begin = System.nanoTime();
        startInstance().onComplete(started -> {
            starting--;
            if (started.failed()) {
                InstanceFailed failure = started.cause() instanceof InstanceFailed failed ? failed
                        : new InstanceFailed("Runtime.Unknown", String.valueOf(started.cause().getMessage()));
                LOG.warn("{} could not start an instance for {}: {}: {}", config.name(), requestId,
                        failure.errorType(), failure.getMessage());
                Duration init = Duration.ofNanos(System.nanoTime() - begin);
                report(requestId, Duration.ZERO, 0, Optional.of(init), "error");
                result.complete(InvocationResult.failure(requestId, failure.errorType(), failure.getMessage()));
                dispatchQueued();
            } else if (closed) {
                started.result().stop();
                result.fail(new IllegalStateException("the Lambda runtime for " + config.name() + " is closed"));
            } else {
                instances.add(started.result());
                run(started.result(), requestId, event, true, result);
            }
        });
    }

    private void run(Instance instance, String requestId, Buffer event, boolean cold,
            Promise<InvocationResult> result) {
        long startNanos = System.nanoTime();
        Instant deadline = Instant.now().plus(config.timeout());
        Optional<Duration> init = cold ? Optional.of(instance.initDuration()) : Optional.empty();
        boolean[] finished = {false};

        long timer = vertx.setTimer(config.timeout().toMillis(), id -> context.runOnContext(ignored -> {
            if (finished[0]) {
                return;
            }
            finished[0] = true;
            Duration elapsed = Duration.ofNanos(System.nanoTime() - startNanos);
            LOG.warn("{} {} Task timed out after {} seconds", config.name(), requestId, seconds(config.timeout()));
            discard(instance);
            instance.stop();
            report(requestId, elapsed, 0, init, "timeout");
            result.complete(InvocationResult.failure(requestId, "Sandbox.Timedout",
                    Instant.now() + " " + requestId + " Task timed out after " + seconds(config.timeout())
                            + " seconds"));
            dispatchQueued();
        }));

        instance.run(requestId, event, deadline).onComplete(done -> context.runOnContext(ignored -> {
            if (finished[0]) {
                return;
            }
            finished[0] = true;
            vertx.cancelTimer(timer);
            Duration elapsed = Duration.ofNanos(System.nanoTime() - startNanos);
            if (done.failed()) {
                discard(instance);
                instance.stop();
                report(requestId, elapsed, 0, init, "error");
                String type = done.cause() instanceof InstanceFailed failed ? failed.errorType()
                        : "Runtime.ExitError";
                result.complete(InvocationResult.failure(requestId, type, String.valueOf(done.cause().getMessage())));
                dispatchQueued();
                return;
            }
            // The REPORT line is logged before the result is handed back, as Lambda logs it as the invocation ends.
            vertx.<Long>executeBlocking(instance::maxMemoryUsedMb, false)
                    .onComplete(memory -> context.runOnContext(later -> {
                        report(requestId, elapsed, memory.succeeded() ? memory.result() : 0, init,
                                done.result().succeeded() ? "success" : "error");
                        if (closed) {
                            instance.stop();
                        } else {
                            idle.addFirst(instance);
                            lastUsed(instance);
                        }
                        result.complete(done.result());
                        dispatchQueued();
                    }));
        }));
    }

    private void lastUsed(Instance instance) {
        idleSince.put(instance, System.nanoTime());
    }

    private void discard(Instance instance) {
        instances.remove(instance);
        idle.remove(instance);
        idleSince.remove(instance);
    }

    private void stopIdle() {
        long now = System.nanoTime();
        List<Instance> expired = new ArrayList<>();
        for (Instance instance : idle) {
            Long since = idleSince.get(instance);
            if (since != null && now - since >= config.idleStop().toNanos()) {
                expired.add(instance);
            }
        }
        for (Instance instance : expired) {
            LOG.info("{} stopping an instance idle for {} s", config.name(), config.idleStop().toSeconds());
            discard(instance);
            instance.stop();
        }
    }

    private void report(String requestId, Duration elapsed, long memoryMb, Optional<Duration> init, String status) {
        Report report = new Report(requestId, elapsed, config.memoryMb(), memoryMb, init, status);
        reports.add(report);
        LOG.info("{} {}", config.name(), report.line());
    }

    private static String newRequestId() {
        return UUID.randomUUID().toString();
    }

    private static String seconds(Duration duration) {
        return String.format(Locale.ROOT, "%.2f", duration.toMillis() / 1000.0);
    }

    private record Queued(String requestId, Buffer event) {
    }
}
