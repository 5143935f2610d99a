package dev.tether.responder.internal;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.JsonEncoder;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.ConfiguratorRank;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.spi.ContextAwareBase;
import java.util.Map;

/**
 * On AWS Lambda and Amazon ECS, sets Logback up to write each log event as one JSON object a line, which CloudWatch
 * Logs Insights can query field by field (the MDC keys {@code requestId}, {@code coldStart}, {@code channelId}).
 * Anywhere else it does nothing and {@code logback.xml} applies. Logback finds it through
 * {@code META-INF/services}.
 */
@ConfiguratorRank(ConfiguratorRank.CUSTOM_HIGH_PRIORITY)
public final class AwsJsonLogs extends ContextAwareBase implements Configurator {
    /** Called by Logback's service loader. */
    public AwsJsonLogs() {
    }

    /**
     * Whether the environment is Lambda's or ECS's, each known by a variable it always sets (Lambda developer guide,
     * "Defined runtime environment variables"; Amazon ECS developer guide, "Task metadata endpoint version 4").
     */
    public static boolean onAws(Map<String, String> env) {
        return env.containsKey("AWS_LAMBDA_FUNCTION_NAME") || env.containsKey("ECS_CONTAINER_METADATA_URI_V4");
    }

    @Override
    public ExecutionStatus configure(LoggerContext context) {
        return configure(context, System.getenv());
    }

    ExecutionStatus configure(LoggerContext context, Map<String, String> env) {
        if (!onAws(env)) {
            return ExecutionStatus.INVOKE_NEXT_IF_ANY;
        }
        JsonEncoder json = new JsonEncoder();
        json.setContext(context);
        // The message as written, once: the pattern and its arguments apart would repeat it.
        json.setWithFormattedMessage(true);
        json.setWithMessage(false);
        json.setWithArguments(false);
        json.setWithContext(false);
        json.setWithSequenceNumber(false);
        json.start();

        ConsoleAppender<ILoggingEvent> console = new ConsoleAppender<>();
        console.setContext(context);
        console.setName("json");
        console.setEncoder(json);
        console.start();

        Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
        root.setLevel(Level.INFO);
        root.addAppender(console);
        return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
    }
}
