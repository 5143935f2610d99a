package dev.tether.deploy;

import dev.tether.config.ConfigInvalid;
import dev.tether.config.ConfigProblem;
import dev.tether.config.TetherConfig;
import dev.tether.responder.ResponderConfig;
import dev.tether.session.SessionSettings;
import java.util.AbstractMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;

/**
 * The environment variables each service's configuration reads, found by running its readers on a map that notes
 * every name asked for, so that the list comes from the code and not from a copy of it.
 */
enum ServiceVariables {
    /** The session service: Tether's shared configuration and the pool size. */
    SESSION(List.of(TetherConfig::fromEnvironment, SessionSettings::fromEnvironment)),
    /** The responder: its configuration, which includes Tether's shared one. */
    RESPONDER(List.of(ResponderConfig::fromEnvironment));

    /**
     * What Lambda sets itself and refuses in a function's configuration (Lambda developer guide, "Defined runtime
     * environment variables": reserved environment variables).
     */
    static final Set<String> LAMBDA_RESERVED = Set.of("_HANDLER", "_X_AMZN_TRACE_ID", "AWS_DEFAULT_REGION",
            "AWS_REGION", "AWS_EXECUTION_ENV", "AWS_LAMBDA_FUNCTION_NAME", "AWS_LAMBDA_FUNCTION_MEMORY_SIZE",
            "AWS_LAMBDA_FUNCTION_VERSION", "AWS_LAMBDA_INITIALIZATION_TYPE", "AWS_LAMBDA_LOG_GROUP_NAME",
            "AWS_LAMBDA_LOG_STREAM_NAME", "AWS_ACCESS_KEY", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY",
            "AWS_SESSION_TOKEN", "AWS_LAMBDA_RUNTIME_API", "LAMBDA_TASK_ROOT", "LAMBDA_RUNTIME_DIR");

    private final List<Consumer<Map<String, String>>> readers;

    ServiceVariables(List<Consumer<Map<String, String>>> readers) {
        this.readers = readers;
    }

    /** Every variable the service's configuration reads. */
    Set<String> read() {
        Set<String> names = new TreeSet<>();
        Map<String, String> noting = new AbstractMap<>() {
            @Override
            public Set<Entry<String, String>> entrySet() {
                return Set.of();
            }

            @Override
            public String get(Object key) {
                names.add(String.valueOf(key));
                return null;
            }

            @Override
            public boolean containsKey(Object key) {
                names.add(String.valueOf(key));
                return false;
            }
        };
        for (Consumer<Map<String, String>> reader : readers) {
            try {
                reader.accept(noting);
            } catch (ConfigInvalid expected) {
                // Nothing is set, so the required variables are reported; each was read first.
            }
        }
        return names;
    }

    /** The variables the service refuses to start without. */
    Set<String> required() {
        Set<String> names = new TreeSet<>();
        for (Consumer<Map<String, String>> reader : readers) {
            try {
                reader.accept(Map.of());
            } catch (ConfigInvalid e) {
                e.problems().stream().map(ConfigProblem::variable).forEach(variable -> names.add(variable.name()));
            }
        }
        return names;
    }
}
