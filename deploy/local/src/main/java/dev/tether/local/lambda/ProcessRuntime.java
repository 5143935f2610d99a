package dev.tether.local.lambda;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs each instance as its own JVM, as Lambda's Java runtime does: the JVM runs AWS's runtime interface client
 * ({@code com.amazonaws.services.lambda.runtime.api.client.AWSLambda}) with the function's handler, and fetches its
 * invocations from a Lambda Runtime API that this class serves on a loopback port of its own for each instance.
 *
 * <p>The instance's init duration runs from starting its process to its first request for the next invocation.
 * An instance that has not asked for an invocation within {@link #INIT_LIMIT} (Lambda's 10 s init phase) is killed;
 * one whose invocation times out is killed too. Its memory is read from the process's peak resident set.
 */
public final class ProcessRuntime extends LambdaRuntime {
    /** How long an instance may take to start, as Lambda's init phase. */
    public static final Duration INIT_LIMIT = Duration.ofSeconds(10);
    /** The runtime interface client's main class. */
    public static final String RUNTIME_CLIENT = "com.amazonaws.services.lambda.runtime.api.client.AWSLambda";

    private static final Logger LOG = LoggerFactory.getLogger(ProcessRuntime.class);
    private static final String API = "/2018-06-01/runtime";
    private static final Pattern INVOCATION = Pattern.compile(API + "/invocation/([^/]+)/(response|error)");

    /** A runtime for one function; no process starts until the first invocation. */
    public ProcessRuntime(Vertx vertx, FunctionConfig config) {
        super(vertx, config);
    }

    @Override
    Future<Instance> startInstance() {
        Child child = new Child();
        return child.start();
    }

    /** The command line of an instance's JVM. */
    List<String> command() {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        // As Lambda's Java runtimes: a heap of most of the memory size, the serial collector, C1 only.
        command.add("-Xmx" + config.memoryMb() * 85 / 100 + "m");
        command.add("-XX:+UseSerialGC");
        command.add("-XX:+TieredCompilation");
        command.add("-XX:TieredStopAtLevel=1");
        command.add("-Xshare:auto");
        command.add("-cp");
        command.add(config.classpath().isEmpty() ? System.getProperty("java.class.path")
                : config.classpath().stream().map(Path::toString).collect(Collectors.joining(File.pathSeparator)));
        command.add(RUNTIME_CLIENT);
        command.add(config.handler());
        return command;
    }

    private Map<String, String> environment(int apiPort) {
        Map<String, String> environment = new HashMap<>();
        String path = System.getenv("PATH");
        environment.put("PATH", path == null ? "/usr/local/bin:/usr/bin:/bin" : path);
        environment.put("LANG", "en_US.UTF-8");
        environment.put("TZ", ":UTC");
        environment.put("AWS_REGION", FunctionConfig.LOCAL_REGION);
        environment.put("AWS_DEFAULT_REGION", FunctionConfig.LOCAL_REGION);
        environment.putAll(config.environment());
        environment.put("AWS_LAMBDA_RUNTIME_API", "127.0.0.1:" + apiPort);
        environment.put("_HANDLER", config.handler());
        environment.put("AWS_LAMBDA_FUNCTION_NAME", config.name());
        environment.put("AWS_LAMBDA_FUNCTION_VERSION", "$LATEST");
        environment.put("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", Integer.toString(config.memoryMb()));
        environment.put("AWS_LAMBDA_LOG_GROUP_NAME", "/aws/lambda/" + config.name());
        environment.put("AWS_LAMBDA_LOG_STREAM_NAME", "local/[$LATEST]" + Long.toHexString(
                ThreadLocalRandom.current().nextLong()));
        environment.put("AWS_LAMBDA_INITIALIZATION_TYPE", "on-demand");
        environment.put("AWS_EXECUTION_ENV", "AWS_Lambda_java17");
        return environment;
    }

    /** One instance: its process and the Runtime API it polls. */
    private final class Child implements Instance {
        private final Promise<Void> ready = Promise.promise();
        private final long startNanos = System.nanoTime();
        private HttpServer server;
        private Process process;
        private Duration initDuration = Duration.ZERO;
        private HttpServerResponse waitingForNext;
        private Pending current;
        private boolean stopped;

        Future<Instance> start() {
            long initTimer = vertx.setTimer(INIT_LIMIT.toMillis(), id -> {
                if (!ready.future().isComplete()) {
                    ready.tryFail(new InstanceFailed("Runtime.InitTimeout", "the instance did not ask for an "
                            + "invocation within " + INIT_LIMIT.toSeconds() + " s of starting"));
                }
            });
            Future<Instance> started = vertx.createHttpServer()
                    .requestHandler(this::serve)
                    .listen(0, "127.0.0.1")
                    .compose(listening -> {
                        server = listening;
                        return vertx.executeBlocking(() -> launch(listening.actualPort()), false);
                    })
                    .compose(launched -> ready.future())
                    .map(ignored -> (Instance) this);
            return started.onComplete(done -> {
                vertx.cancelTimer(initTimer);
                if (done.failed()) {
                    stop();
                }
            }).recover(failure -> Future.failedFuture(failure instanceof InstanceFailed ? failure
                    : new InstanceFailed("Runtime.Unknown", "the instance could not start: " + failure)));
        }

        private Process launch(int apiPort) throws IOException {
            ProcessBuilder builder = new ProcessBuilder(command())
                    .redirectOutput(ProcessBuilder.Redirect.INHERIT)
                    .redirectError(ProcessBuilder.Redirect.INHERIT);
            builder.environment().clear();
            builder.environment().putAll(environment(apiPort));
            Process started = builder.start();
            process = started;
            LOG.info("{} started an instance, pid {}", config.name(), started.pid());
            started.onExit().thenAccept(exited -> context.runOnContext(ignored -> exited(exited.exitValue())));
            return started;
        }

        private void exited(int status) {
            InstanceFailed failure = new InstanceFailed("Runtime.ExitError",
                    "Runtime exited with error: exit status " + status);
            ready.tryFail(failure);
            if (current != null) {
                Pending failed = current;
                current = null;
                failed.result().tryFail(failure);
            }
            if (server != null) {
                server.close();
            }
        }

        private void serve(HttpServerRequest request) {
            String path = request.path();
            if (request.method() == HttpMethod.GET && path.equals(API + "/invocation/next")) {
                next(request.response());
                return;
            }
            if (request.method() != HttpMethod.POST) {
                answer(request.response(), 405, "InvalidRequest", request.method() + " " + path + " is not allowed");
                return;
            }
            request.body().onSuccess(body -> {
                Matcher invocation = INVOCATION.matcher(path);
                if (path.equals(API + "/init/error")) {
                    initError(request, body);
                } else if (invocation.matches()) {
                    completed(request, invocation.group(1), invocation.group(2).equals("error"), body);
                } else {
                    answer(request.response(), 404, "InvalidRequest", "no such Runtime API resource: " + path);
                }
            });
        }

        private void next(HttpServerResponse response) {
            if (!ready.future().isComplete()) {
                initDuration = Duration.ofNanos(System.nanoTime() - startNanos);
                ready.tryComplete();
            }
            waitingForNext = response;
            deliver();
        }

        private void deliver() {
            if (waitingForNext == null || current == null || current.delivered()) {
                return;
            }
            HttpServerResponse response = waitingForNext;
            waitingForNext = null;
            current = current.asDelivered();
            response.putHeader("Lambda-Runtime-Aws-Request-Id", current.requestId())
                    .putHeader("Lambda-Runtime-Deadline-Ms", Long.toString(current.deadline().toEpochMilli()))
                    .putHeader("Lambda-Runtime-Invoked-Function-Arn", config.arn())
                    .putHeader("Lambda-Runtime-Trace-Id", "Root=1-" + Long.toHexString(Instant.now()
                            .getEpochSecond()) + "-" + current.requestId().replace("-", "").substring(0, 24)
                            + ";Sampled=0")
                    .putHeader("Content-Type", "application/json")
                    .end(current.event());
        }

        private void completed(HttpServerRequest request, String requestId, boolean error, Buffer body) {
            if (current == null || !current.requestId().equals(requestId)) {
                answer(request.response(), 400, "InvalidRequestID", "no invocation " + requestId + " is running");
                return;
            }
            Pending done = current;
            current = null;
            if (error) {
                JsonObject document = errorDocument(body);
                String type = request.getHeader("Lambda-Runtime-Function-Error-Type");
                done.result().tryComplete(InvocationResult.failure(requestId,
                        document.getString("errorType", type == null ? "Unhandled" : type),
                        document.getString("errorMessage", "")));
            } else {
                done.result().tryComplete(InvocationResult.success(requestId, body));
            }
            request.response().setStatusCode(202).end(new JsonObject().put("status", "OK").encode());
        }

        private void initError(HttpServerRequest request, Buffer body) {
            JsonObject document = errorDocument(body);
            String type = request.getHeader("Lambda-Runtime-Function-Error-Type");
            ready.tryFail(new InstanceFailed(document.getString("errorType",
                    type == null ? "Runtime.InitError" : type), document.getString("errorMessage", "")));
            request.response().setStatusCode(202).end(new JsonObject().put("status", "OK").encode());
        }

        private JsonObject errorDocument(Buffer body) {
            try {
                return body.length() == 0 ? new JsonObject() : new JsonObject(body);
            } catch (DecodeException | ClassCastException notJson) {
                return new JsonObject().put("errorMessage", body.toString());
            }
        }

        private void answer(HttpServerResponse response, int status, String type, String message) {
            response.setStatusCode(status)
                    .putHeader("Content-Type", "application/json")
                    .end(new JsonObject().put("errorType", type).put("errorMessage", message).encode());
        }

        @Override
        public Duration initDuration() {
            return initDuration;
        }

        @Override
        public Future<InvocationResult> run(String requestId, Buffer event, Instant deadline) {
            Promise<InvocationResult> result = Promise.promise();
            context.runOnContext(ignored -> {
                if (stopped) {
                    result.fail(new InstanceFailed("Runtime.ExitError", "the instance was stopped"));
                    return;
                }
                current = new Pending(requestId, event, deadline, result, false);
                deliver();
            });
            return result.future();
        }

        @Override
        public long maxMemoryUsedMb() {
            Process running = process;
            if (running == null) {
                return 0;
            }
            try {
                for (String line : Files.readAllLines(Path.of("/proc", Long.toString(running.pid()), "status"))) {
                    if (line.startsWith("VmHWM:")) {
                        return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024;
                    }
                }
            } catch (IOException | NumberFormatException gone) {
                return 0;
            }
            return 0;
        }

        @Override
        public Future<Void> stop() {
            stopped = true;
            Process running = process;
            if (running != null && running.isAlive()) {
                running.descendants().forEach(ProcessHandle::destroyForcibly);
                running.destroyForcibly();
            }
            return server == null ? Future.succeededFuture() : server.close();
        }
    }

    private record Pending(String requestId, Buffer event, Instant deadline, Promise<InvocationResult> result,
            boolean delivered) {
        Pending asDelivered() {
            return new Pending(requestId, event, deadline, result, true);
        }
    }
}
