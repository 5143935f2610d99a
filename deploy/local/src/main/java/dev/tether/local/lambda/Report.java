package dev.tether.local.lambda;

import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * The figures Lambda logs in its REPORT line after each invocation, kept for comparing runtimes.
 *
 * @param requestId the invocation's request id
 * @param duration how long the handler ran
 * @param memorySizeMb the function's memory size
 * @param maxMemoryUsedMb the instance's peak memory so far, or 0 when it cannot be read
 * @param initDuration how long the instance took to start, on a cold start only
 * @param status {@code success}, {@code error} or {@code timeout}
 */
public record Report(String requestId, Duration duration, int memorySizeMb, long maxMemoryUsedMb,
        Optional<Duration> initDuration, String status) {
    /** Checks that no field is missing. */
    public Report {
        Objects.requireNonNull(requestId, "requestId");
        Objects.requireNonNull(duration, "duration");
        Objects.requireNonNull(initDuration, "initDuration");
        Objects.requireNonNull(status, "status");
    }

    /** Whether the invocation started a new instance. */
    public boolean coldStart() {
        return initDuration.isPresent();
    }

    /** The billed duration: Lambda bills each invocation's duration rounded up to the millisecond. */
    public long billedMillis() {
        long millis = duration.toMillis();
        return duration.minusMillis(millis).isZero() ? Math.max(millis, 1) : millis + 1;
    }

    /** The REPORT line, in Lambda's words and order. */
    public String line() {
        StringBuilder line = new StringBuilder()
                .append("REPORT RequestId: ").append(requestId)
                .append("\tDuration: ").append(millis(duration)).append(" ms")
                .append("\tBilled Duration: ").append(billedMillis()).append(" ms")
                .append("\tMemory Size: ").append(memorySizeMb).append(" MB")
                .append("\tMax Memory Used: ").append(maxMemoryUsedMb).append(" MB");
        initDuration.ifPresent(init -> line.append("\tInit Duration: ").append(millis(init)).append(" ms"));
        if (!"success".equals(status)) {
            line.append("\tStatus: ").append(status);
        }
        return line.toString();
    }

    private static String millis(Duration duration) {
        return String.format(Locale.ROOT, "%.2f", duration.toNanos() / 1e6);
    }
}
