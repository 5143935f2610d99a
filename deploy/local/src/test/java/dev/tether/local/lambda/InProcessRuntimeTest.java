package dev.tether.local.lambda;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class InProcessRuntimeTest {
    private Vertx vertx;
    private InProcessRuntime runtime;

    @BeforeEach
    void startVertx() {
        vertx = Vertx.vertx();
    }

    @AfterEach
    void stop() throws Exception {
        if (runtime != null) {
            runtime.close().await(10, TimeUnit.SECONDS);
        }
        vertx.close().await(10, TimeUnit.SECONDS);
    }

    private InProcessRuntime runtime(String handler, Duration timeout, int concurrency) {
        runtime = new InProcessRuntime(vertx, new FunctionConfig("probe", handler, timeout, 512, concurrency,
                Duration.ofMinutes(5), Map.of("GREETING", "hello"), List.of()));
        return runtime;
    }

    private static InvocationResult await(Future<InvocationResult> result) throws Exception {
        return result.toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
    }

    private static Buffer event(JsonObject event) {
        return event.toBuffer();
    }

    @Test
    @DisplayName("the first invocation starts an instance (cold, with an init duration); the next reuses it (warm)")
    void coldThenWarm() throws Exception {
        runtime(ProbeHandler.class.getName(), Duration.ofSeconds(3), 2);

        InvocationResult first = await(runtime.invoke(event(new JsonObject().put("echo", 1))));
        InvocationResult second = await(runtime.invoke(event(new JsonObject().put("echo", 2))));

        JsonObject one = new JsonObject(first.payload());
        JsonObject two = new JsonObject(second.payload());
        assertThat(first.succeeded()).isTrue();
        assertThat(one.getString("requestId")).isEqualTo(first.requestId());
        assertThat(one.getString("functionName")).isEqualTo("probe");
        assertThat(one.getInteger("memoryLimitInMB")).isEqualTo(512);
        assertThat(one.getInteger("remainingTimeInMillis")).isBetween(1, 3000);
        assertThat(one.getString("invokedFunctionArn")).endsWith(":function:probe");
        assertThat(one.getString("greeting")).as("the function's environment").isEqualTo("hello");
        assertThat(two.getString("instance")).isEqualTo(one.getString("instance"));
        assertThat(two.getInteger("echo")).isEqualTo(2);

        List<Report> reports = runtime.reports();
        assertThat(reports).extracting(Report::requestId).containsExactly(first.requestId(), second.requestId());
        assertThat(reports.get(0).coldStart()).isTrue();
        assertThat(reports.get(1).coldStart()).isFalse();
        assertThat(reports.get(0).line()).startsWith("REPORT RequestId: " + first.requestId() + "\tDuration: ")
                .contains("\tMemory Size: 512 MB", "\tInit Duration: ");
    }

    @Test
    @DisplayName("an invocation past the timeout fails with Sandbox.Timedout, and the next one starts afresh")
    void timeout() throws Exception {
        runtime(ProbeHandler.class.getName(), Duration.ofSeconds(1), 1);
        String before = new JsonObject(await(runtime.invoke(event(new JsonObject()))).payload())
                .getString("instance");

        InvocationResult late = await(runtime.invoke(event(new JsonObject().put("sleepMillis", 5000))));
        InvocationResult after = await(runtime.invoke(event(new JsonObject())));

        assertThat(late.functionError()).contains(InvocationResult.UNHANDLED);
        assertThat(late.errorType()).contains("Sandbox.Timedout");
        assertThat(late.errorMessage()).hasValueSatisfying(message ->
                assertThat(message).endsWith(late.requestId() + " Task timed out after 1.00 seconds"));
        assertThat(new JsonObject(after.payload()).getString("instance")).isNotEqualTo(before);
        assertThat(runtime.reports()).extracting(Report::status).containsExactly("success", "timeout", "success");
        assertThat(runtime.reports().get(2).coldStart()).isTrue();
    }

    @Test
    @DisplayName("a handler's exception fails the invocation with its type and message; the instance stays warm")
    void handlerException() throws Exception {
        runtime(ProbeHandler.class.getName(), Duration.ofSeconds(3), 1);

        InvocationResult failed = await(runtime.invoke(event(new JsonObject().put("fail", "no such order"))));
        InvocationResult next = await(runtime.invoke(event(new JsonObject())));

        assertThat(failed.errorType()).contains(IllegalArgumentException.class.getName());
        assertThat(failed.errorMessage()).contains("no such order");
        assertThat(next.succeeded()).isTrue();
        assertThat(runtime.reports().get(1).coldStart()).isFalse();
    }

    @Test
    @DisplayName("at the concurrency limit a synchronous invocation is throttled; an asynchronous one waits its turn")
    void concurrencyLimit() throws Exception {
        runtime(ProbeHandler.class.getName(), Duration.ofSeconds(5), 1);
        Future<InvocationResult> busy = runtime.invoke(event(new JsonObject().put("sleepMillis", 700)));
        Thread.sleep(200);

        Future<InvocationResult> refused = runtime.invoke(event(new JsonObject()));
        runtime.invokeAsync(event(new JsonObject().put("echo", "queued"))).await(5, TimeUnit.SECONDS);

        assertThatThrownBy(() -> await(refused)).isInstanceOf(ExecutionException.class)
                .hasCauseInstanceOf(Throttled.class)
                .hasMessageContaining("concurrency limit");
        assertThat(await(busy).succeeded()).isTrue();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (runtime.reports().size() < 2 && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(runtime.reports()).hasSize(2).allSatisfy(report -> assertThat(report.status()).isEqualTo("success"));
        assertThat(runtime.instanceCount().await(5, TimeUnit.SECONDS)).isEqualTo(1);
    }

    @Test
    @DisplayName("an instance idle for longer than the idle stop is stopped; the next invocation is cold again")
    void idleInstanceStopped() throws Exception {
        runtime = new InProcessRuntime(vertx, new FunctionConfig("probe", ProbeHandler.class.getName(),
                Duration.ofSeconds(3), 512, 1, Duration.ofMillis(300), Map.of(), List.of()));
        await(runtime.invoke(event(new JsonObject())));
        assertThat(runtime.instanceCount().await(5, TimeUnit.SECONDS)).isEqualTo(1);

        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (runtime.instanceCount().await(5, TimeUnit.SECONDS) > 0 && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        await(runtime.invoke(event(new JsonObject())));

        assertThat(runtime.reports()).extracting(Report::coldStart).containsExactly(true, true);
    }

    @Test
    @DisplayName("a typed RequestHandler gets its input deserialized and its output serialized as JSON")
    void typedHandler() throws Exception {
        runtime(TypedHandler.class.getName() + "::handleRequest", Duration.ofSeconds(3), 1);

        InvocationResult result = await(runtime.invoke(event(new JsonObject().put("name", "ada"))));

        assertThat(new JsonObject(result.payload()))
                .isEqualTo(new JsonObject().put("received", "ada").put("function", "probe"));
    }

    @Test
    @DisplayName("a handler class that is missing or cannot be initialized fails the invocation with an init error")
    void initErrors() throws Exception {
        runtime("com.example.Missing", Duration.ofSeconds(3), 1);
        InvocationResult missing = await(runtime.invoke(event(new JsonObject())));
        runtime.close().await(5, TimeUnit.SECONDS);
        runtime(BrokenInitHandler.class.getName(), Duration.ofSeconds(3), 1);
        InvocationResult broken = await(runtime.invoke(Buffer.buffer("\"x\"")));

        assertThat(missing.errorType()).contains("Runtime.ImportModuleError");
        assertThat(missing.errorMessage()).hasValueSatisfying(m -> assertThat(m).contains("com.example.Missing"));
        assertThat(broken.succeeded()).isFalse();
        assertThat(broken.errorMessage()).hasValueSatisfying(m -> assertThat(m).contains("SETTING is not set"));
        assertThat(runtime.reports()).singleElement().satisfies(r -> assertThat(r.status()).isEqualTo("error"));
    }

    @Test
    @DisplayName("a function outside Lambda's limits is refused with every problem named")
    void badConfiguration() {
        assertThatThrownBy(() -> new FunctionConfig("bad name", "x.Y", Duration.ofMinutes(16), 64, 0,
                Duration.ofMinutes(5), Map.of(), List.of()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("name 'bad name' must be 1 to 64 letters")
                .hasMessageContaining("timeout 960000 ms must be 1 s to 900 s")
                .hasMessageContaining("memory 64 MB must be 128 to 10240 MB")
                .hasMessageContaining("maximum concurrency 0 must be at least 1");
    }
}
