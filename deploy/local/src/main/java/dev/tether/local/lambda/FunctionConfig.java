package dev.tether.local.lambda;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * One function, as the Lambda stand-in runs it.
 *
 * @param name the function's name, as in its ARN: letters, digits, {@code -} and {@code _}, at most 64
 * @param handler the handler class, {@code com.example.Handler} or {@code com.example.Handler::handleRequest}
 * @param timeout how long one invocation may run, 1 second to 15 minutes as in Lambda
 * @param memoryMb the memory size, 128 to 10240 MB as in Lambda; a process instance's heap is sized from it
 * @param maxConcurrency how many instances may run at once (Lambda's reserved concurrency), at least 1
 * @param idleStop how long an idle instance is kept warm before it is stopped
 * @param environment the function's environment variables
 * @param classpath the function's classpath, with AWS's runtime interface client on it; used in process mode only
 */
public record FunctionConfig(String name, String handler, Duration timeout, int memoryMb, int maxConcurrency,
        Duration idleStop, Map<String, String> environment, List<Path> classpath) {
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_-]{1,64}");
    private static final Pattern HANDLER =
            Pattern.compile("\\p{javaJavaIdentifierStart}[\\p{javaJavaIdentifierPart}.$]*(::handleRequest)?");
    /** The region the stand-in's functions run in. */
    static final String LOCAL_REGION = "us-east-1";
    private static final String LOCAL_ACCOUNT = "000000000000";

    private static final Duration MAX_TIMEOUT = Duration.ofMinutes(15);

    /**
     * Checks every field.
     *
     * @throws IllegalArgumentException naming each field that is out of range and what is allowed
     */
    public FunctionConfig {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(handler, "handler");
        Objects.requireNonNull(timeout, "timeout");
        Objects.requireNonNull(idleStop, "idleStop");
        environment = Map.copyOf(environment);
        classpath = List.copyOf(classpath);

        List<String> problems = new ArrayList<>();
        if (!NAME.matcher(name).matches()) {
            problems.add("name '" + name + "' must be 1 to 64 letters, digits, '-' or '_'");
        }
        if (!HANDLER.matcher(handler).matches()) {
            problems.add("handler '" + handler + "' must be a class name, optionally followed by ::handleRequest");
        }
        if (timeout.compareTo(Duration.ofSeconds(1)) < 0 || timeout.compareTo(MAX_TIMEOUT) > 0) {
            problems.add("timeout " + timeout.toMillis() + " ms must be 1 s to 900 s");
        }
        if (memoryMb < 128 || memoryMb > 10_240) {
            problems.add("memory " + memoryMb + " MB must be 128 to 10240 MB");
        }
        if (maxConcurrency < 1) {
            problems.add("maximum concurrency " + maxConcurrency + " must be at least 1");
        }
        if (idleStop.isNegative() || idleStop.isZero()) {
            problems.add("idle stop " + idleStop + " must be positive");
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException("function " + name + ": " + String.join("; ", problems));
        }
    }

    /** The handler's class name, without {@code ::handleRequest}. */
    public String handlerClass() {
        int method = handler.indexOf("::");
        return method < 0 ? handler : handler.substring(0, method);
    }

    /** The function's ARN in the stand-in's account and region. */
    public String arn() {
        return localArn(name);
    }

    /** The ARN of the function {@code name} in the stand-in's account and region. */
    static String localArn(String name) {
        return "arn:aws:lambda:" + LOCAL_REGION + ":" + LOCAL_ACCOUNT + ":function:" + name;
    }
}
