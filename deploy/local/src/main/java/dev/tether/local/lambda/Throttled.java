package dev.tether.local.lambda;

import java.io.Serial;

/** A synchronous invocation found every instance busy at the function's concurrency limit, as Lambda's 429. */
public final class Throttled extends RuntimeException {
    @Serial
    private static final long serialVersionUID = 1L;

    Throttled(String function, int maxConcurrency) {
        super("TooManyRequestsException: function " + function + " is running " + maxConcurrency
                + " invocations, its concurrency limit; try again later");
    }
}
