package dev.tether.run;

import dev.tether.local.LocalAws;
import dev.tether.local.config.LocalConfig;
import dev.tether.local.config.StaticKey;
import dev.tether.local.lambda.FunctionConfig;
import dev.tether.local.lambda.InProcessRuntime;
import dev.tether.local.lambda.LambdaRuntime;
import dev.tether.local.lambda.ProcessRuntime;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import java.io.IOException;
import java.io.PrintStream;
import java.net.BindException;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Runs all of Tether on one machine: the stand-ins for AWS IoT Core and STS, the topic rule that starts a responder
 * for each session message, the responder (on the Lambda stand-in or as a container-like JVM), the session function
 * behind an API Gateway stand-in, and the demo page.
 */
@Command(name = "tether-local", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Runs Tether on this machine with stand-ins for AWS IoT Core, STS, Lambda and API Gateway.")
public final class TetherLocal implements Callable<Integer> {
    private static final Logger LOG = LoggerFactory.getLogger(TetherLocal.class);
    private static final String RESPONDER_HANDLER = "dev.tether.responder.lambda.ResponderLambda";
    private static final String RESPONDER_MAIN = "dev.tether.responder.container.ResponderMain";
    private static final String SESSION_HANDLER = "dev.tether.session.lambda.SessionLambda";

    /** Where the responder runs. */
    enum ResponderRuntime { lambda, container }

    /** How the Lambda stand-in runs a function. */
    enum LambdaMode { process, in_process }

    @Option(names = "--responder", defaultValue = "lambda",
            description = "where the responder runs: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE})")
    ResponderRuntime responder;

    @Option(names = "--lambda-mode", defaultValue = "process", converter = LambdaModeConverter.class,
            description = "process (each instance its own JVM) or in-process (default: ${DEFAULT-VALUE})")
    LambdaMode lambdaMode;

    @Option(names = "--host", defaultValue = "127.0.0.1", description = "address to listen on (default: "
            + "${DEFAULT-VALUE}); the stand-ins' keys are public, so keep it on loopback")
    String host;

    @Option(names = "--http-port", defaultValue = "8080",
            description = "port of the session endpoint and the demo page (default: ${DEFAULT-VALUE})")
    int httpPort;

    @Option(names = "--broker-port", defaultValue = "9001",
            description = "port of the AWS IoT Core stand-in's MQTT over WebSocket (default: ${DEFAULT-VALUE})")
    int brokerPort;

    @Option(names = "--aws-port", defaultValue = "9002",
            description = "port of the STS and IoT data-plane stand-ins (default: ${DEFAULT-VALUE})")
    int awsPort;

    @Option(names = "--prefix", defaultValue = "tether", description = "topic prefix (default: ${DEFAULT-VALUE})")
    String prefix;

    @Option(names = "--idle-timeout", defaultValue = "30",
            description = "seconds a responder waits for a request before it ends (default: ${DEFAULT-VALUE})")
    int idleTimeoutSeconds;

    @Option(names = "--lambda-timeout", defaultValue = "900",
            description = "the responder function's timeout in seconds, 1 to 900 (default: ${DEFAULT-VALUE})")
    int lambdaTimeoutSeconds;

    @Option(names = "--lambda-memory", defaultValue = "512",
            description = "the functions' memory size in MB, 128 to 10240 (default: ${DEFAULT-VALUE})")
    int lambdaMemoryMb;

    @Option(names = "--lambda-concurrency", defaultValue = "10",
            description = "how many instances of each function may run at once (default: ${DEFAULT-VALUE})")
    int lambdaConcurrency;

    private final PrintStream out;

    TetherLocal(PrintStream out) {
        this.out = out;
    }

    /** Starts everything and waits for Ctrl-C (SIGINT) or SIGTERM, which stop everything it started. */
    public static void main(String[] args) {
        TetherLocal command = new TetherLocal(System.out);
        int exit = new CommandLine(command).setCaseInsensitiveEnumValuesAllowed(true).execute(args);
        if (exit != 0 || command.running == null) {
            System.exit(exit);
        }
        Running running = command.running;
        Runtime.getRuntime().addShutdownHook(new Thread(running::stop, "tether-local-stop"));
    }

    private Running running;

    @Override
    public Integer call() throws Exception {
        try {
            running = start().toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
        } catch (ExecutionException failed) {
            Throwable cause = failed.getCause();
            System.err.println("tether-local could not start: " + (cause instanceof BindException
                    ? "a port is taken (" + cause.getMessage() + "); choose others with --http-port, --broker-port "
                    + "and --aws-port" : cause.getMessage()));
            LOG.debug("start failure", cause);
            return 1;
        }
        out.println();
        out.println("Tether is running on this machine, with stand-ins for AWS IoT Core, STS, Lambda and API Gateway.");
        out.println("  demo page         http://" + host + ":" + running.httpPort() + "/");
        out.println("  session endpoint  http://" + host + ":" + running.httpPort() + "/session");
        out.println("  MQTT broker       ws://" + host + ":" + running.brokerPort() + "/mqtt");
        out.println("  STS and IoT data  http://" + host + ":" + running.awsPort());
        out.println("  responder         " + (responder == ResponderRuntime.lambda
                ? "on Lambda (" + lambdaMode.name().replace('_', '-') + " mode, timeout " + lambdaTimeoutSeconds
                + " s)" : "in a container-like JVM") + ", idle timeout " + idleTimeoutSeconds + " s");
        out.println("Press Ctrl-C to stop.");
        return 0;
    }

    /** Starts everything; the future completes once all of it listens. */
    Future<Running> start() {
        Vertx vertx = Vertx.vertx();
        LocalConfig config = LocalConfig.parse("host: " + host + "\nbrokerPort: " + brokerPort + "\nhttpPort: "
                + awsPort + "\n");
        LocalAws aws = new LocalAws(config, Clock.systemUTC());
        String secret = HexFormat.of().formatHex(randomBytes());
        List<LambdaRuntime> functions = new ArrayList<>();
        List<Process> containers = new ArrayList<>();
        Running[] started = new Running[1];

        Future<Running> all = vertx.deployVerticle(aws).compose(id -> {
            Map<String, String> common = new HashMap<>();
            common.put("AWS_REGION", config.broker().region());
            common.put("TETHER_ENDPOINT", "ws://127.0.0.1:" + aws.brokerPort() + "/mqtt");
            common.put("TETHER_CHANNEL_SECRET", secret);
            common.put("TETHER_TOPIC_PREFIX", prefix);
            common.put("TETHER_IDLE_TIMEOUT_SECONDS", Integer.toString(idleTimeoutSeconds));
            common.put("AWS_ENDPOINT_URL_STS", "http://127.0.0.1:" + aws.httpPort());
            common.put("TETHER_DATA_ENDPOINT", "http://127.0.0.1:" + aws.httpPort());

            Map<String, String> session = new HashMap<>(common);
            credentials(session, key(config, "session-service"));
            session.put("TETHER_CLIENT_ROLE_ARN", config.roles().get(0).arn());
            session.put("TETHER_ALLOWED_ORIGINS", "http://" + host + ":" + httpPort);
            session.put("TETHER_SESSION_POOL_SIZE", "8");
            LambdaRuntime sessionFunction = runtime(vertx, new FunctionConfig("tether-session", SESSION_HANDLER,
                    Duration.ofSeconds(29), lambdaMemoryMb, lambdaConcurrency, Duration.ofMinutes(15), session,
                    List.of()));
            functions.add(sessionFunction);

            Map<String, String> responderEnv = new HashMap<>(common);
            credentials(responderEnv, key(config, "responder-service"));
            Future<Void> responderStarted;
            if (responder == ResponderRuntime.lambda) {
                LambdaRuntime responderFunction = runtime(vertx, new FunctionConfig("tether-responder",
                        RESPONDER_HANDLER, Duration.ofSeconds(lambdaTimeoutSeconds), lambdaMemoryMb,
                        lambdaConcurrency, Duration.ofMinutes(15), responderEnv, List.of()));
                functions.add(responderFunction);
                aws.rules().add("tether_sessions", "SELECT * FROM '" + prefix + "/session'",
                        responderFunction.ruleAction());
                responderStarted = Future.succeededFuture();
            } else {
                responderStarted = vertx.executeBlocking(() -> {
                    containers.add(container(RESPONDER_MAIN, responderEnv));
                    return null;
                });
            }
            Future<HttpServer> gateway = new ApiGateway(vertx, sessionFunction).listen(host, httpPort);
            return Future.all(responderStarted, gateway).map(done -> {
                started[0] = new Running(vertx, aws, functions, containers, gateway.result().actualPort(),
                        aws.brokerPort(), aws.httpPort());
                return started[0];
            });
        });
        return all.recover(failure -> {
            Running partial = new Running(vertx, aws, functions, containers, 0, 0, 0);
            vertx.executeBlocking(() -> {
                partial.stop();
                return null;
            });
            return Future.failedFuture(failure);
        });
    }

    private LambdaRuntime runtime(Vertx vertx, FunctionConfig function) {
        return lambdaMode == LambdaMode.process ? new ProcessRuntime(vertx, function)
                : new InProcessRuntime(vertx, function);
    }

    private static byte[] randomBytes() {
        byte[] bytes = new byte[32];
        new SecureRandom().nextBytes(bytes);
        return bytes;
    }

    private static StaticKey key(LocalConfig config, String name) {
        return config.keys().stream().filter(key -> key.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalStateException("the stand-in has no key named " + name));
    }

    private static void credentials(Map<String, String> env, StaticKey key) {
        env.put("AWS_ACCESS_KEY_ID", key.accessKeyId());
        env.put("AWS_SECRET_ACCESS_KEY", key.secretAccessKey());
    }

    // The container runtime: the responder's main in a JVM of its own, as on Fargate, from this JVM's classpath.
    private static Process container(String mainClass, Map<String, String> env) throws IOException {
        ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:MaxRAMPercentage=75", "-cp", System.getProperty("java.class.path"), mainClass)
                .redirectOutput(ProcessBuilder.Redirect.INHERIT)
                .redirectError(ProcessBuilder.Redirect.INHERIT);
        builder.environment().putAll(env);
        builder.environment().put("TETHER_HTTP_PORT", "0");
        Process process = builder.start();
        LOG.info("started the responder container, pid {}", process.pid());
        return process;
    }

    /** What {@link #start()} started, and how to stop it. */
    record Running(Vertx vertx, LocalAws aws, List<LambdaRuntime> functions, List<Process> containers, int httpPort,
            int brokerPort, int awsPort) {
        /** Stops everything, child JVMs included; blocks until done, so call it from a thread of its own. */
        void stop() {
            List<ProcessHandle> children = ProcessHandle.current().descendants().toList();
            for (LambdaRuntime function : functions) {
                try {
                    function.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
                } catch (Exception e) {
                    LOG.warn("the Lambda stand-in for {} did not stop cleanly: {}", function.config().name(),
                            e.toString());
                }
            }
            for (Process container : containers) {
                container.destroy();
                try {
                    if (!container.waitFor(30, TimeUnit.SECONDS)) {
                        container.destroyForcibly();
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    container.destroyForcibly();
                }
            }
            children.forEach(ProcessHandle::destroyForcibly);
            try {
                vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
            } catch (Exception e) {
                LOG.warn("Vert.x did not close cleanly: {}", e.toString());
            }
        }
    }

    /** Accepts {@code process} and {@code in-process}. */
    static final class LambdaModeConverter implements CommandLine.ITypeConverter<LambdaMode> {
        @Override
        public LambdaMode convert(String value) {
            return switch (value.toLowerCase(java.util.Locale.ROOT)) {
                case "process" -> LambdaMode.process;
                case "in-process", "in_process" -> LambdaMode.in_process;
                default -> throw new CommandLine.TypeConversionException("'" + value
                        + "' is not a Lambda mode; allowed are process and in-process");
            };
        }
    }
}
