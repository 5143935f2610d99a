package dev.tether.local.lambda;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.UUID;

/**
 * A test function that tells what it saw: its instance, process, context and environment. The event may ask it to
 * sleep ({@code sleepMillis}), to throw ({@code fail}), or to write its process id to a file first ({@code pidFile}).
 */
public class ProbeHandler implements RequestStreamHandler {
    private final String instance = UUID.randomUUID().toString();
    private final Map<String, String> environment;

    /** Built by the process runtime's client, which gives no environment: the process has its own. */
    public ProbeHandler() {
        this(System.getenv());
    }

    /** Built by the in-process runtime with the function's environment. */
    public ProbeHandler(Map<String, String> environment) {
        this.environment = environment;
    }

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        JsonObject event = new JsonObject(new String(input.readAllBytes(), StandardCharsets.UTF_8));
        String pidFile = event.getString("pidFile");
        if (pidFile != null) {
            Files.writeString(Path.of(pidFile), Long.toString(ProcessHandle.current().pid()));
        }
        long sleep = event.getLong("sleepMillis", 0L);
        if (sleep > 0) {
            try {
                Thread.sleep(sleep);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        if (event.containsKey("fail")) {
            throw new IllegalArgumentException(event.getString("fail"));
        }
        JsonObject answer = new JsonObject()
                .put("instance", instance)
                .put("pid", ProcessHandle.current().pid())
                .put("requestId", context.getAwsRequestId())
                .put("functionName", context.getFunctionName())
                .put("memoryLimitInMB", context.getMemoryLimitInMB())
                .put("remainingTimeInMillis", context.getRemainingTimeInMillis())
                .put("invokedFunctionArn", context.getInvokedFunctionArn())
                .put("greeting", environment.get("GREETING"))
                .put("echo", event.getValue("echo"));
        output.write(answer.toBuffer().getBytes());
    }
}
