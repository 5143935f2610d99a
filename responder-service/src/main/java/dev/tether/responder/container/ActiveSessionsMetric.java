package dev.tether.responder.container;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import java.util.function.IntSupplier;
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
import software.amazon.cloudwatchlogs.emf.model.MetricsContext;
import software.amazon.cloudwatchlogs.emf.model.Unit;
import software.amazon.cloudwatchlogs.emf.sinks.ConsoleSink;
import software.amazon.cloudwatchlogs.emf.sinks.ISink;

/**
 * Reports how many sessions the container responder serves as a CloudWatch embedded metric format line on stdout,
 * once every period, so that ECS service auto scaling can track it: namespace {@value #NAMESPACE}, metric
 * {@value #METRIC_NAME} (a count), dimension {@value #DIMENSION} with the shared-subscription group, the pool of
 * tasks that share the sessions. CloudWatch Logs makes the metric from the line the awslogs log driver sends, with no
 * API call and no permission beyond writing the log (CloudWatch user guide, "Embedded metric format specification";
 * PutLogEvents' {@code x-amzn-logs-format} header is optional). Prometheus' {@code /metrics} is unchanged.
 *
 * <p>Each task writes its own count; the metric's {@code Average} over a minute is the sessions per task, which
 * target tracking scaling holds near its target.
 *
 * <p>Threading: {@link #report()} may be called from any thread and writes to stdout, so the periodic report runs
 * on a worker, never on the event loop.
 */
public final class ActiveSessionsMetric {
    /** The CloudWatch namespace. */
    public static final String NAMESPACE = "Tether";
    /** The metric's name. */
    public static final String METRIC_NAME = "ActiveSessions";
    /** The metric's one dimension, whose value is the shared-subscription group. */
    public static final String DIMENSION = "ShareGroup";
    /**
     * How often a task reports: twice a minute, so that every one-minute period that target tracking's alarms
     * evaluate holds at least one value from each task.
     */
    public static final Duration PERIOD = Duration.ofSeconds(30);

    private static final Logger LOG = LoggerFactory.getLogger(ActiveSessionsMetric.class);

    private final Supplier<Environment> environment;
    private final String shareGroup;
    private final IntSupplier activeSessions;

    /**
     * A reporter.
     *
     * @param environment where the lines go; {@link #stdout()} in a container
     * @param shareGroup the shared-subscription group, the value of the {@value #DIMENSION} dimension
     * @param activeSessions the number of sessions being served now
     */
    public ActiveSessionsMetric(Supplier<Environment> environment, String shareGroup, IntSupplier activeSessions) {
        this.environment = Objects.requireNonNull(environment, "environment");
        this.shareGroup = Objects.requireNonNull(shareGroup, "shareGroup");
        this.activeSessions = Objects.requireNonNull(activeSessions, "activeSessions");
    }

    /**
     * Whether the process runs on Amazon ECS, known by the variable the ECS agent always sets (Amazon ECS developer
     * guide, "Task metadata endpoint version 4"); elsewhere the lines would only be noise.
     */
    public static boolean onEcs(Map<String, String> env) {
        return env.containsKey("ECS_CONTAINER_METADATA_URI_V4");
    }

    /** An environment whose lines go to stdout, one JSON object a line, as the awslogs log driver reads them. */
    public static Supplier<Environment> stdout() {
        return () -> new ContainerEnvironment(ConsoleSink::new);
    }

    /**
     * The same environment as {@link #stdout()}, with each line handed to {@code lines} instead: for a log pipeline
     * of one's own, and for tests that read what would be written.
     */
    public static Supplier<Environment> writingTo(Consumer<String> lines) {
        Objects.requireNonNull(lines, "lines");
        return () -> new ContainerEnvironment(() -> new LineSink(lines));
    }

    /** Writes one line with the number of active sessions now. */
    public void report() {
        MetricsLogger metrics = new MetricsLogger(environment.get());
        try {
            metrics.setNamespace(NAMESPACE);
            metrics.setDimensions(DimensionSet.of(DIMENSION, shareGroup));
            metrics.putMetric(METRIC_NAME, activeSessions.getAsInt(), Unit.COUNT);
            metrics.flush();
        } catch (InvalidNamespaceException | InvalidDimensionException | DimensionSetExceededException
                | InvalidMetricException e) {
            // The names are fixed and the group is checked at start; a refusal here is a bug, not a reason to stop.
            LOG.error("active sessions metric not written", e);
        }
    }

    /**
     * Reports every period, on a worker, until Vert.x closes or the timer is cancelled.
     *
     * @return the periodic timer's id
     */
    public long every(Vertx vertx, Duration period) {
        return vertx.setPeriodic(period.toMillis(), id -> vertx.executeBlocking(() -> {
            report();
            return null;
        }));
    }

    /** The container's metric environment: no defaults to add, lines to its sink. */
    private static final class ContainerEnvironment implements Environment {
        private final Supplier<ISink> sink;

        ContainerEnvironment(Supplier<ISink> sink) {
            this.sink = sink;
        }

        @Override
        public boolean probe() {
            return true;
        }

        @Override
        public String getName() {
            return "tether-responder";
        }

        @Override
        public String getType() {
            return "AWS::ECS::Container";
        }

        @Override
        public String getLogGroupName() {
            return "";
        }

        @Override
        public void configureContext(MetricsContext context) {
            // The dimension set replaces the defaults; nothing else is added to each line.
        }

        @Override
        public ISink getSink() {
            return sink.get();
        }
    }

    /** Hands each serialized line to a consumer. */
    private static final class LineSink implements ISink {
        private final Consumer<String> lines;

        LineSink(Consumer<String> lines) {
            this.lines = lines;
        }

        @Override
        public void accept(MetricsContext context) {
            try {
                context.serialize().forEach(lines);
            } catch (JsonProcessingException e) {
                LOG.error("active sessions metric not serialized", e);
            }
        }

        @Override
        public CompletableFuture<Void> shutdown() {
            return CompletableFuture.completedFuture(null);
        }
    }
}
