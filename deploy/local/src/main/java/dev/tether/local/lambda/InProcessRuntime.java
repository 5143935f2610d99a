package dev.tether.local.lambda;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs the handler in this JVM: each instance is a handler object with a thread of its own, built on the instance's
 * first invocation (its cold start) and called with a {@link LocalContext} whose remaining time counts down.
 *
 * <p>The function's environment reaches a handler with a public constructor taking {@code Map<String, String>}: it
 * gets this JVM's environment overlaid with {@link FunctionConfig#environment()}. A handler with only a no-argument
 * constructor sees this JVM's environment alone. A timed-out instance's thread is interrupted and abandoned; it
 * cannot be killed as a process instance is.
 */
public final class InProcessRuntime extends LambdaRuntime {
    private final AtomicInteger instanceNumbers = new AtomicInteger();
    private final Clock clock;

    /** A runtime for one function; nothing starts until the first invocation. */
    public InProcessRuntime(Vertx vertx, FunctionConfig config) {
        super(vertx, config);
        this.clock = Clock.systemUTC();
    }

    @Override
    Future<Instance> startInstance() {
        int number = instanceNumbers.incrementAndGet();
        ExecutorService thread = Executors.newSingleThreadExecutor(task -> {
            Thread worker = new Thread(task, "lambda-" + config.name() + "-" + number);
            worker.setDaemon(true);
            return worker;
        });
        Map<String, String> environment = new HashMap<>(System.getenv());
        environment.putAll(config.environment());
        environment.put("AWS_LAMBDA_FUNCTION_NAME", config.name());
        environment.put("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", Integer.toString(config.memoryMb()));

        Promise<Instance> started = Promise.promise();
        long begin = System.nanoTime();
        thread.execute(() -> {
            try {
                HandlerAdapter handler = HandlerAdapter.create(config, environment);
                started.complete(new Local(handler, thread, Duration.ofNanos(System.nanoTime() - begin)));
            } catch (InstanceFailed e) {
                thread.shutdownNow();
                started.fail(e);
            }
        });
        return started.future();
    }

    private final class Local implements Instance {
        private final HandlerAdapter handler;
        private final ExecutorService thread;
        private final Duration initDuration;

        Local(HandlerAdapter handler, ExecutorService thread, Duration initDuration) {
            this.handler = handler;
            this.thread = thread;
            this.initDuration = initDuration;
        }

        @Override
        public Duration initDuration() {
            return initDuration;
        }

        @Override
        public Future<InvocationResult> run(String requestId, Buffer event, Instant deadline) {
            Promise<InvocationResult> result = Promise.promise();
            LocalContext context = new LocalContext(requestId, config, deadline, clock);
            try {
                thread.execute(() -> {
                    try {
                        result.complete(InvocationResult.success(requestId, handler.handle(event, context)));
                    } catch (Exception | LinkageError | StackOverflowError e) {
                        result.complete(InvocationResult.failure(requestId, e.getClass().getName(),
                                String.valueOf(e.getMessage())));
                    }
                });
            } catch (RejectedExecutionException stopped) {
                result.fail(new InstanceFailed("Runtime.ExitError", "the instance was stopped"));
            }
            return result.future();
        }

        @Override
        public long maxMemoryUsedMb() {
            Runtime runtime = Runtime.getRuntime();
            return (runtime.totalMemory() - runtime.freeMemory()) / (1024 * 1024);
        }

        @Override
        public Future<Void> stop() {
            thread.shutdownNow();
            return Future.succeededFuture();
        }
    }
}
