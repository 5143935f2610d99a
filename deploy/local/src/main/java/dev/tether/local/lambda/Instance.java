package dev.tether.local.lambda;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import java.time.Duration;
import java.time.Instant;

/** One execution environment of a function: it runs one invocation at a time. */
interface Instance {
    /** How long the instance took to start, reported with its first invocation. */
    Duration initDuration();

    /**
     * Runs one invocation. The future fails only when the instance itself failed (its process died); a handler's
     * exception is a failed {@link InvocationResult}.
     */
    Future<InvocationResult> run(String requestId, Buffer event, Instant deadline);

    /** The instance's peak memory in MB, or 0 when it cannot be told; may block, so call it off the event loop. */
    long maxMemoryUsedMb();

    /** Stops the instance at once, abandoning an invocation in progress. */
    Future<Void> stop();
}
