package dev.tether.responder.lambda;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.vertx.core.json.JsonObject;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import software.amazon.cloudwatchlogs.emf.environment.LambdaEnvironment;
import software.amazon.cloudwatchlogs.emf.model.MetricsContext;
import software.amazon.cloudwatchlogs.emf.sinks.ISink;

/** Lambda's metrics environment, with the lines it would write to stdout kept for the test to read. */
final class RecordingEnvironment extends LambdaEnvironment {
    final List<JsonObject> lines = new CopyOnWriteArrayList<>();

    @Override
    public ISink getSink() {
        return new ISink() {
            @Override
            public void accept(MetricsContext context) {
                try {
                    context.serialize().forEach(line -> lines.add(new JsonObject(line)));
                } catch (JsonProcessingException e) {
                    throw new UncheckedIOException(e);
                }
            }

            @Override
            public CompletableFuture<Void> shutdown() {
                return CompletableFuture.completedFuture(null);
            }
        };
    }
}
