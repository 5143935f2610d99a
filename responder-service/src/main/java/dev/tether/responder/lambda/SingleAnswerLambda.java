package dev.tether.responder.lambda;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import dev.tether.channel.ChannelIdInvalid;
import dev.tether.responder.ResponderRuntime;
import dev.tether.wire.WireFormatInvalid;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * The single-answer mode on AWS Lambda: {@code dev.tether.responder.lambda.SingleAnswerLambda::handleRequest},
 * invoked by an IoT topic rule with a message that carries both the channel id and the request; the handler's
 * answers go out through the IoT data plane (see {@link dev.tether.responder.SingleAnswer}), with no MQTT
 * connection. It shares the static runtime, and the SnapStart hooks, with {@link ResponderLambda}.
 *
 * <p>Answers {@code {"outcome": "answered", "published": n}}, or {@code refused} / {@code failed} with an
 * {@code error}; it never throws, for the reason {@link ResponderLambda} gives.
 */
public final class SingleAnswerLambda implements RequestStreamHandler {
    private static final Logger LOG = LoggerFactory.getLogger(SingleAnswerLambda.class);

    private final ResponderRuntime runtime;

    /** Called by the Lambda runtime. */
    public SingleAnswerLambda() {
        this(ResponderLambda.sharedRuntime());
    }

    SingleAnswerLambda(ResponderRuntime runtime) {
        this.runtime = Objects.requireNonNull(runtime, "runtime");
    }

    /**
     * Answers the request the event carries, and writes the outcome as JSON.
     *
     * @throws IOException if the event cannot be read or the answer written
     */
    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        Buffer event = Buffer.buffer(input.readAllBytes());
        String requestId = context.getAwsRequestId();
        MDC.put("requestId", requestId);
        JsonObject answer = new JsonObject();
        try {
            int published = runtime.singleAnswer()
                    .answer(event)
                    .await(Math.max(1, context.getRemainingTimeInMillis() - ResponderLambda.SAFETY_MARGIN.toMillis()),
                            TimeUnit.MILLISECONDS);
            answer.put("outcome", "answered").put("published", published);
        } catch (WireFormatInvalid | ChannelIdInvalid e) {
            LOG.warn("{} single request refused: {}", requestId, e.getMessage());
            answer.put("outcome", "refused").put("error", e.getMessage());
        } catch (TimeoutException e) {
            LOG.error("{} single request not answered within the remaining time", requestId);
            answer.put("outcome", "failed").put("error", "not answered within the remaining time");
        } catch (RuntimeException e) {
            LOG.error("{} single request failed", requestId, e);
            answer.put("outcome", "failed").put("error", e.getMessage());
        } finally {
            MDC.remove("requestId");
        }
        output.write(answer.encode().getBytes(StandardCharsets.UTF_8));
    }
}
