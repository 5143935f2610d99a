package dev.tether.responder.lambda;

import dev.tether.responder.SessionSummary;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.cloudwatchlogs.emf.environment.Environment;
import software.amazon.cloudwatchlogs.emf.exception.DimensionSetExceededException;
import software.amazon.cloudwatchlogs.emf.exception.InvalidDimensionException;
import software.amazon.cloudwatchlogs.emf.exception.InvalidMetricException;
import software.amazon.cloudwatchlogs.emf.exception.InvalidNamespaceException;
import software.amazon.cloudwatchlogs.emf.logger.MetricsLogger;
import software.amazon.cloudwatchlogs.emf.model.DimensionSet;
import software.amazon.cloudwatchlogs.emf.model.Unit;

/**
 * Reports each invocation as one CloudWatch embedded metric format line, from which CloudWatch makes metrics with
 * no API call (CloudWatch user guide, "Embedded metric format specification"): namespace {@value #NAMESPACE},
 * dimensions {@code Outcome} and {@code EndReason}, metrics {@code Sessions}, {@code Requests}, {@code Refused}
 * (requests answered with an error) and {@code Duration} in milliseconds.
 */
final class SessionMetrics {
    static final String NAMESPACE = "Tether";
    private static final Logger LOG = LoggerFactory.getLogger(SessionMetrics.class);

    private final Supplier<Environment> environment;

    /** Metrics written where the environment's sink writes: stdout on Lambda. */
    SessionMetrics(Supplier<Environment> environment) {
        this.environment = Objects.requireNonNull(environment, "environment");
    }

    void record(String requestId, String outcome, Optional<SessionSummary> summary) {
        MetricsLogger metrics = new MetricsLogger(environment.get());
        try {
            metrics.setNamespace(NAMESPACE);
            String reason = summary.map(done -> done.reason().wireName()).orElse("none");
            metrics.setDimensions(DimensionSet.of("Outcome", outcome, "EndReason", reason));
            metrics.putMetric("Sessions", 1, Unit.COUNT);
            metrics.putMetric("Requests", summary.map(SessionSummary::requests).orElse(0L), Unit.COUNT);
            metrics.putMetric("Refused", summary.map(SessionSummary::refused).orElse(0L), Unit.COUNT);
            metrics.putMetric("Duration", summary.map(done -> done.duration().toMillis()).orElse(0L),
                    Unit.MILLISECONDS);
            metrics.putProperty("requestId", requestId);
            summary.ifPresent(done -> metrics.putProperty("channelId", done.channelId()));
            metrics.flush();
        } catch (InvalidNamespaceException | InvalidDimensionException | DimensionSetExceededException
                | InvalidMetricException e) {
            // The names and values above are fixed and valid; a refusal here is a bug, not a reason to fail.
            LOG.error("{} metrics not written", requestId, e);
        }
    }
}
