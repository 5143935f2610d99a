package dev.tether.local.lambda;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.util.Objects;
import java.util.Optional;

/**
 * What an invocation answers, as Lambda's Invoke API does: the payload, and for a failed invocation the function
 * error ({@code Unhandled}) with a payload of {@code {"errorMessage", "errorType"}}.
 *
 * @param requestId the invocation's request id
 * @param payload the function's response, or the error document
 * @param functionError {@code Unhandled} when the function failed, timed out or could not start
 */
public record InvocationResult(String requestId, Buffer payload, Optional<String> functionError) {
    /** The function error Lambda reports for a failed invocation. */
    public static final String UNHANDLED = "Unhandled";

    /** Checks that no field is missing. */
    public InvocationResult {
        Objects.requireNonNull(requestId, "requestId");
        Objects.requireNonNull(payload, "payload");
        Objects.requireNonNull(functionError, "functionError");
    }

    static InvocationResult success(String requestId, Buffer payload) {
        return new InvocationResult(requestId, payload, Optional.empty());
    }

    static InvocationResult failure(String requestId, String errorType, String errorMessage) {
        JsonObject error = new JsonObject()
                .put("errorMessage", errorMessage)
                .put("errorType", errorType);
        return new InvocationResult(requestId, error.toBuffer(), Optional.of(UNHANDLED));
    }

    /** Whether the function answered without an error. */
    public boolean succeeded() {
        return functionError.isEmpty();
    }

    /** The error document's {@code errorType}, for a failed invocation. */
    public Optional<String> errorType() {
        return functionError.map(error -> new JsonObject(payload).getString("errorType"));
    }

    /** The error document's {@code errorMessage}, for a failed invocation. */
    public Optional<String> errorMessage() {
        return functionError.map(error -> new JsonObject(payload).getString("errorMessage"));
    }
}
