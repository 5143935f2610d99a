package dev.tether.responder.lambda;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import dev.tether.channel.ChannelIdInvalid;
import dev.tether.responder.ChannelAlreadyServed;
import dev.tether.responder.ResponderConfig;
import dev.tether.responder.ResponderRuntime;
import dev.tether.responder.ResponderSettings;
import dev.tether.responder.SessionSummary;
import dev.tether.wire.SessionMessage;
import dev.tether.wire.WireFormatInvalid;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.crac.Core;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import software.amazon.cloudwatchlogs.emf.environment.LambdaEnvironment;

/**
 * The responder on AWS Lambda: {@code dev.tether.responder.lambda.ResponderLambda::handleRequest}, invoked by the
 * IoT topic rule {@code SELECT * FROM '<prefix>/session'} with the session message as the event, e.g.
 * {@code {"channelId": "..."}}. It serves that one session on this invocation and returns its summary.
 *
 * <p>One {@link Vertx} and one {@link ResponderRuntime} live in a static field, built in the first (cold start)
 * invocation and reused by every warm one. The session's deadline is the invocation's remaining time less
 * {@link #SAFETY_MARGIN}, so the responder publishes {@code end: deadline} and disconnects before Lambda stops the
 * function. The handler thread waits for the session to end, as Lambda's programming model requires; no event loop
 * waits.
 *
 * <p>The answer is always a JSON object with {@code outcome}: {@code served} (with the summary's fields),
 * {@code refused} (a malformed event, a forged or expired channel id: nothing was connected), {@code duplicate}
 * (another responder holds the channel) or {@code failed} (the broker could not be reached, or the session did not
 * end in time). None of them throws: the IoT rule invokes asynchronously and Lambda would retry a thrown invocation
 * one and two minutes later, long after the client gave up, and at a cost.
 *
 * <p>Each invocation writes a CloudWatch embedded metric format line (see {@link SessionMetrics}); on Lambda, log
 * lines are JSON with the MDC keys {@code requestId} and {@code coldStart}. Ready for SnapStart: see
 * {@link SnapStartHooks}.
 */
public final class ResponderLambda implements RequestStreamHandler {
    /**
     * Time kept back from the remaining time: the end grace for answers being sent (1 s), publishing {@code end}
     * (at most 1 s) and disconnecting.
     */
    public static final Duration SAFETY_MARGIN = Duration.ofMillis(2500);
    /** How long a session's answers being sent may take once it ends, on Lambda. */
    public static final Duration END_GRACE = Duration.ofSeconds(1);

    private static final Duration PRIMING_TIMEOUT = Duration.ofSeconds(5);
    private static final Logger LOG = LoggerFactory.getLogger(ResponderLambda.class);
    private static final Object INIT_LOCK = new Object();
    private static final AtomicBoolean COLD_START = new AtomicBoolean(true);
    private static ResponderRuntime sharedRuntime;
    // org.crac keeps weak references to registered resources, so the hooks are held here.
    private static SnapStartHooks sharedHooks;

    private final ResponderRuntime runtime;
    private final SessionMetrics metrics;
    private final Clock clock;

    /** Called by the Lambda runtime: reads the environment and builds the shared runtime on the first call only. */
    public ResponderLambda() {
        this(sharedRuntime(), new SessionMetrics(LambdaEnvironment::new), Clock.systemUTC());
    }

    /**
     * Builds a runtime of its own from the given environment instead of the process's: for running beside other
     * functions in one JVM, as the local Lambda stand-in's in-process mode does.
     */
    public ResponderLambda(Map<String, String> environment) {
        this(ownRuntime(environment), new SessionMetrics(LambdaEnvironment::new), Clock.systemUTC());
    }

    private static ResponderRuntime ownRuntime(Map<String, String> environment) {
        ResponderConfig config = ResponderConfig.fromEnvironment(environment);
        return ResponderRuntime.withEnvironmentCredentials(Vertx.vertx(), config, lambdaSettings(config),
                environment);
    }

    ResponderLambda(ResponderRuntime runtime, SessionMetrics metrics, Clock clock) {
        this.runtime = Objects.requireNonNull(runtime, "runtime");
        this.metrics = Objects.requireNonNull(metrics, "metrics");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    static ResponderRuntime sharedRuntime() {
        synchronized (INIT_LOCK) {
            if (sharedRuntime == null) {
                // A bad configuration fails the init phase with a message naming each variable.
                ResponderConfig config = ResponderConfig.fromEnvironment(System.getenv());
                sharedRuntime = ResponderRuntime.withDefaultCredentials(Vertx.vertx(), config,
                        lambdaSettings(config));
                sharedHooks = new SnapStartHooks(sharedRuntime);
                Core.getGlobalContext().register(sharedHooks);
                try {
                    sharedRuntime.prime().await(PRIMING_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
                } catch (TimeoutException | RuntimeException e) {
                    LOG.warn("credentials not resolved at init; the first session resolves them: {}", e.toString());
                }
            }
            return sharedRuntime;
        }
    }

    /** The configured settings with the end grace that {@link #SAFETY_MARGIN} allows for. */
    public static ResponderSettings lambdaSettings(ResponderConfig config) {
        return config.settings().withEndGrace(END_GRACE);
    }

    /**
     * Serves the session the event asks for, and writes the outcome as JSON.
     *
     * @throws IOException if the event cannot be read or the answer written
     */
    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        byte[] event = input.readAllBytes();
        String requestId = context.getAwsRequestId();
        MDC.put("requestId", requestId);
        MDC.put("coldStart", Boolean.toString(COLD_START.getAndSet(false)));
        try {
            JsonObject answer = handle(event, context);
            output.write(answer.encode().getBytes(StandardCharsets.UTF_8));
        } finally {
            MDC.remove("requestId");
            MDC.remove("coldStart");
        }
    }

    private JsonObject handle(byte[] event, Context context) {
        String requestId = context.getAwsRequestId();
        SessionMessage message;
        try {
            message = SessionMessage.decode(Buffer.buffer(event));
        } catch (WireFormatInvalid e) {
            LOG.warn("{} event refused: {}", requestId, e.getMessage());
            return finish(requestId, "refused", Optional.empty(), Optional.of("the event is not a session message: "
                    + e.getMessage()));
        }
        long servingMillis = context.getRemainingTimeInMillis() - SAFETY_MARGIN.toMillis();
        if (servingMillis <= 0) {
            return finish(requestId, "failed", Optional.empty(), Optional.of("remaining time "
                    + context.getRemainingTimeInMillis() + " ms is less than the safety margin of "
                    + SAFETY_MARGIN.toMillis() + " ms; set the function's timeout higher"));
        }

        try {
            SessionSummary summary = runtime.service()
                    .serve(message, Optional.of(clock.instant().plusMillis(servingMillis)))
                    .await(context.getRemainingTimeInMillis() - SAFETY_MARGIN.toMillis() / 2, TimeUnit.MILLISECONDS);
            return finish(requestId, "served", Optional.of(summary), Optional.empty());
        } catch (ChannelIdInvalid e) {
            return finish(requestId, "refused", Optional.empty(), Optional.of(e.getMessage()));
        } catch (ChannelAlreadyServed e) {
            return finish(requestId, "duplicate", Optional.empty(), Optional.of(e.getMessage()));
        } catch (TimeoutException e) {
            LOG.error("{} session {} did not end within the remaining time", requestId, message.channelId());
            return finish(requestId, "failed", Optional.empty(), Optional.of("the session did not end in time"));
        } catch (RuntimeException e) {
            LOG.error("{} session {} failed", requestId, message.channelId(), e);
            return finish(requestId, "failed", Optional.empty(), Optional.of(e.toString()));
        }
    }

    private JsonObject finish(String requestId, String outcome, Optional<SessionSummary> summary,
            Optional<String> error) {
        metrics.record(requestId, outcome, summary);
        JsonObject answer = summary.map(SessionSummary::toJson).orElseGet(JsonObject::new)
                .put("outcome", outcome);
        error.ifPresent(why -> answer.put("error", why));
        return answer;
    }
}
