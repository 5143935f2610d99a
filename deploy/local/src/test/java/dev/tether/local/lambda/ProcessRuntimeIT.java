package dev.tether.local.lambda;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Each instance is a real JVM running AWS's runtime interface client against the stand-in's Runtime API. */
class ProcessRuntimeIT {
    private Vertx vertx;
    private ProcessRuntime runtime;

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

    private ProcessRuntime runtime(String handler, Duration timeout) {
        // An empty classpath runs the instance on this JVM's: the test classes and the runtime interface client.
        runtime = new ProcessRuntime(vertx, new FunctionConfig("probe", handler, timeout, 256, 2,
                Duration.ofMinutes(5), Map.of("GREETING", "from the function's environment"), List.of()));
        return runtime;
    }

    private static InvocationResult await(Future<InvocationResult> result) throws Exception {
        return result.toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
    }

    @Test
    @DisplayName("a cold invocation starts a JVM that answers through the Runtime API; a warm one reuses it")
    void coldThenWarm() throws Exception {
        runtime(ProbeHandler.class.getName() + "::handleRequest", Duration.ofSeconds(30));

        InvocationResult cold = await(runtime.invoke(new JsonObject().put("echo", "one").toBuffer()));
        InvocationResult warm = await(runtime.invoke(new JsonObject().put("echo", "two").toBuffer()));

        assertThat(cold.succeeded()).as(cold.payload().toString()).isTrue();
        JsonObject first = new JsonObject(cold.payload());
        JsonObject second = new JsonObject(warm.payload());
        assertThat(first.getLong("pid")).isNotEqualTo(ProcessHandle.current().pid());
        assertThat(second.getLong("pid")).isEqualTo(first.getLong("pid"));
        assertThat(first.getString("requestId")).isEqualTo(cold.requestId());
        assertThat(first.getString("functionName")).isEqualTo("probe");
        assertThat(first.getInteger("memoryLimitInMB")).isEqualTo(256);
        assertThat(first.getInteger("remainingTimeInMillis")).isBetween(1, 30_000);
        assertThat(first.getString("greeting")).isEqualTo("from the function's environment");
        assertThat(second.getString("echo")).isEqualTo("two");

        List<Report> reports = runtime.reports();
        assertThat(reports).hasSize(2);
        assertThat(reports.get(0).initDuration()).hasValueSatisfying(init -> assertThat(init).isPositive());
        assertThat(reports.get(1).coldStart()).isFalse();
        assertThat(reports.get(0).maxMemoryUsedMb()).as("the instance's peak resident memory").isPositive();
    }

    @Test
    @DisplayName("an invocation past the timeout kills its instance's process")
    void timeoutKillsTheProcess(@TempDir Path dir) throws Exception {
        runtime(ProbeHandler.class.getName(), Duration.ofSeconds(2));
        await(runtime.invoke(new JsonObject().toBuffer()));
        Path pidFile = dir.resolve("pid");

        InvocationResult late = await(runtime.invoke(new JsonObject()
                .put("pidFile", pidFile.toString()).put("sleepMillis", 60_000).toBuffer()));

        assertThat(late.errorType()).contains("Sandbox.Timedout");
        assertThat(late.errorMessage()).hasValueSatisfying(m -> assertThat(m).contains("Task timed out after 2.00"));
        long pid = Long.parseLong(Files.readString(pidFile));
        ProcessHandle handle = ProcessHandle.of(pid).orElse(null);
        if (handle != null) {
            handle.onExit().get(10, TimeUnit.SECONDS);
        }
        assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive)).as("process %d", pid).isNotEqualTo(
                java.util.Optional.of(true));
        assertThat(runtime.instanceCount().await(5, TimeUnit.SECONDS)).isZero();
        assertThat(runtime.reports()).extracting(Report::status).containsExactly("success", "timeout");
    }

    @Test
    @DisplayName("a handler that cannot initialize is reported through /init/error and fails the invocation")
    void initError() throws Exception {
        runtime(BrokenInitHandler.class.getName(), Duration.ofSeconds(30));

        InvocationResult failed = await(runtime.invoke(Buffer.buffer("\"x\"")));

        assertThat(failed.errorType()).contains(ExceptionInInitializerError.class.getName());
        assertThat(failed.errorMessage()).hasValueSatisfying(m -> assertThat(m)
                .contains(BrokenInitHandler.class.getName()));
        assertThat(runtime.reports()).singleElement().satisfies(report -> assertThat(report.status())
                .isEqualTo("error"));
        assertThat(runtime.instanceCount().await(5, TimeUnit.SECONDS)).isZero();
    }

    @Test
    @DisplayName("a handler's exception reaches the caller through /invocation/{id}/error; the instance stays")
    void handlerError() throws Exception {
        runtime(ProbeHandler.class.getName(), Duration.ofSeconds(30));

        InvocationResult failed = await(runtime.invoke(new JsonObject().put("fail", "bad order").toBuffer()));
        InvocationResult next = await(runtime.invoke(new JsonObject().toBuffer()));

        assertThat(failed.functionError()).contains(InvocationResult.UNHANDLED);
        assertThat(failed.errorType()).contains(IllegalArgumentException.class.getName());
        assertThat(failed.errorMessage()).contains("bad order");
        assertThat(next.succeeded()).isTrue();
        assertThat(runtime.reports().get(1).coldStart()).isFalse();
    }
}
