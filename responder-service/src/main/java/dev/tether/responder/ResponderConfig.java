package dev.tether.responder;

import static dev.tether.config.ConfigVariable.TETHER_CLAIM_WINDOW_MILLIS;
import static dev.tether.config.ConfigVariable.TETHER_DATA_ENDPOINT;
import static dev.tether.config.ConfigVariable.TETHER_HANDLER_CLASS;
import static dev.tether.config.ConfigVariable.TETHER_MAX_SESSION_SECONDS;
import static dev.tether.config.ConfigVariable.TETHER_RESPONDER_HTTP_PORT;
import static dev.tether.config.ConfigVariable.TETHER_SHARE_GROUP;
import static dev.tether.config.ConfigVariable.TETHER_SHUTDOWN_GRACE_SECONDS;

import dev.tether.config.ConfigInvalid;
import dev.tether.config.ConfigProblem;
import dev.tether.config.ConfigVariable;
import dev.tether.config.TetherConfig;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * What the responder's entrypoints read from the environment beside {@link TetherConfig}.
 *
 * @param tether         the configuration both services share
 * @param handlers       makes the configured {@link SessionHandler} for each session ({@code TETHER_HANDLER_CLASS})
 * @param maxDuration    the longest session ({@code TETHER_MAX_SESSION_SECONDS})
 * @param claimWindow    how long a responder waits for rival claims ({@code TETHER_CLAIM_WINDOW_MILLIS})
 * @param shareGroup     the container's shared-subscription group ({@code TETHER_SHARE_GROUP})
 * @param shutdownGrace  how long the container takes to drain after SIGTERM ({@code TETHER_SHUTDOWN_GRACE_SECONDS})
 * @param httpPort       the container's health and metrics port ({@code TETHER_RESPONDER_HTTP_PORT})
 * @param dataEndpoint   the IoT data plane for single answers ({@code TETHER_DATA_ENDPOINT}), or
 *                       {@code https://<AWS_IOT_HOST>}; absent with only a broker endpoint override
 */
public record ResponderConfig(TetherConfig tether, Supplier<SessionHandler> handlers, Duration maxDuration,
        Duration claimWindow, String shareGroup, Duration shutdownGrace, int httpPort, Optional<URI> dataEndpoint) {
    /** Longest shutdown grace period: Fargate's largest {@code stopTimeout} (Amazon ECS developer guide). */
    public static final Duration MAX_SHUTDOWN_GRACE = Duration.ofSeconds(120);

    private static final Pattern SHARE_GROUP = Pattern.compile("[A-Za-z0-9_-]{1,64}");
    private static final int MAX_SHOWN = 80;

    /** Refuses nulls. */
    public ResponderConfig {
        Objects.requireNonNull(tether, "tether");
        Objects.requireNonNull(handlers, "handlers");
        Objects.requireNonNull(maxDuration, "maxDuration");
        Objects.requireNonNull(claimWindow, "claimWindow");
        Objects.requireNonNull(shareGroup, "shareGroup");
        Objects.requireNonNull(shutdownGrace, "shutdownGrace");
        Objects.requireNonNull(dataEndpoint, "dataEndpoint");
    }

    /**
     * Reads the configuration.
     *
     * @throws ConfigInvalid naming every variable with a bad value, the value and what is allowed
     */
    public static ResponderConfig fromEnvironment(Map<String, String> env) {
        Objects.requireNonNull(env, "env");
        List<ConfigProblem> problems = new ArrayList<>();
        TetherConfig tether = null;
        try {
            tether = TetherConfig.fromEnvironment(env);
        } catch (ConfigInvalid e) {
            problems.addAll(e.problems());
        }
        Optional<Supplier<SessionHandler>> handlers = handlerClass(value(env, TETHER_HANDLER_CLASS), problems);
        Optional<Integer> maxSeconds = number(env, TETHER_MAX_SESSION_SECONDS, 1, 86_400, problems);
        Optional<Integer> claimMillis = number(env, TETHER_CLAIM_WINDOW_MILLIS, 0, 5000, problems);
        String group = value(env, TETHER_SHARE_GROUP);
        if (!SHARE_GROUP.matcher(group).matches()) {
            problems.add(new ConfigProblem(TETHER_SHARE_GROUP, "value " + show(group) + " is not allowed; allowed "
                    + "are 1 to 64 letters, digits, _ and -"));
        }
        Optional<Integer> graceSeconds = number(env, TETHER_SHUTDOWN_GRACE_SECONDS, 1,
                (int) MAX_SHUTDOWN_GRACE.toSeconds(), problems);
        Optional<Integer> port = number(env, TETHER_RESPONDER_HTTP_PORT, 0, 65_535, problems);
        Optional<URI> dataEndpoint = dataEndpoint(env.get(TETHER_DATA_ENDPOINT.variableName()), problems);

        if (!problems.isEmpty()) {
            throw new ConfigInvalid(problems);
        }
        Optional<String> iotHost = tether.iotHost();
        return new ResponderConfig(tether, handlers.orElseThrow(), Duration.ofSeconds(maxSeconds.orElseThrow()),
                Duration.ofMillis(claimMillis.orElseThrow()), group, Duration.ofSeconds(graceSeconds.orElseThrow()),
                port.orElseThrow(), dataEndpoint.or(() -> iotHost.map(host -> URI.create("https://" + host))));
    }

    /** The responder settings: the defaults with the configured topics, idle timeout and longest session. */
    public ResponderSettings settings() {
        return ResponderSettings.defaults()
                .withTopics(tether.topics())
                .withIdleTimeout(tether.idleTimeout())
                .withMaxDuration(maxDuration)
                .withClaimWindow(claimWindow);
    }

    private static String value(Map<String, String> env, ConfigVariable variable) {
        String value = env.get(variable.variableName());
        return value == null || value.isEmpty() ? variable.defaultValue().orElseThrow() : value;
    }

    private static Optional<Integer> number(Map<String, String> env, ConfigVariable variable, int min, int max,
            List<ConfigProblem> problems) {
        String value = value(env, variable);
        if (value.matches("[0-9]{1,9}")) {
            int number = Integer.parseInt(value);
            if (number >= min && number <= max) {
                return Optional.of(number);
            }
        }
        problems.add(new ConfigProblem(variable, "value " + show(value) + " is not allowed; allowed is a whole "
                + "number from " + min + " to " + max));
        return Optional.empty();
    }

    private static Optional<URI> dataEndpoint(String value, List<ConfigProblem> problems) {
        if (value == null || value.isEmpty()) {
            return Optional.empty();
        }
        String allowed = "; allowed is http:// or https:// with a host and an optional port, nothing else, e.g. "
                + "http://127.0.0.1:9002";
        try {
            URI uri = new URI(value);
            boolean web = "http".equals(uri.getScheme()) || "https".equals(uri.getScheme());
            boolean bare = (uri.getRawPath() == null || uri.getRawPath().isEmpty()) && uri.getRawQuery() == null
                    && uri.getRawUserInfo() == null && uri.getRawFragment() == null;
            if (web && uri.getHost() != null && bare) {
                return Optional.of(uri);
            }
        } catch (URISyntaxException e) {
            // Reported below with what is allowed.
        }
        problems.add(new ConfigProblem(TETHER_DATA_ENDPOINT, "value " + show(value) + " is not allowed" + allowed));
        return Optional.empty();
    }

    private static Optional<Supplier<SessionHandler>> handlerClass(String name, List<ConfigProblem> problems) {
        String allowed = "; allowed is the name of a public class implementing " + SessionHandler.class.getName()
                + " with a public constructor without parameters, on the class path";
        Class<?> type;
        try {
            type = Class.forName(name, false, ResponderConfig.class.getClassLoader());
        } catch (ClassNotFoundException | LinkageError e) {
            problems.add(new ConfigProblem(TETHER_HANDLER_CLASS, "class " + show(name) + " is not found" + allowed));
            return Optional.empty();
        }
        if (!SessionHandler.class.isAssignableFrom(type)) {
            problems.add(new ConfigProblem(TETHER_HANDLER_CLASS, "class " + show(name) + " is not a SessionHandler"
                    + allowed));
            return Optional.empty();
        }
        Constructor<? extends SessionHandler> constructor;
        try {
            constructor = type.asSubclass(SessionHandler.class).getConstructor();
        } catch (NoSuchMethodException e) {
            problems.add(new ConfigProblem(TETHER_HANDLER_CLASS, "class " + show(name) + " has no public "
                    + "constructor without parameters" + allowed));
            return Optional.empty();
        }
        return Optional.of(() -> {
            try {
                return constructor.newInstance();
            } catch (InstantiationException | IllegalAccessException | InvocationTargetException e) {
                throw new IllegalStateException("could not make a " + name + " for a session", e);
            }
        });
    }

    private static String show(String value) {
        String printable = value.replaceAll("\\p{Cntrl}", "?");
        return "'" + (printable.length() > MAX_SHOWN ? printable.substring(0, MAX_SHOWN) + "..." : printable) + "'";
    }
}
