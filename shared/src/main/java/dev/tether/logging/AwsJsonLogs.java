package dev.tether.logging;

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
 * Makes Logback write one JSON object a line on AWS Lambda and on ECS, where CloudWatch Logs can query their fields
 * (MDC {@code requestId}, {@code coldStart}, {@code channelId}); elsewhere it leaves the readable lines of
 * {@code logback.xml}.
 *
 * <p>Logback finds it through {@code META-INF/services} and runs it before looking for {@code logback.xml}; each
 * service lists it in its own services file.
 */
@ConfiguratorRank(ConfiguratorRank.CUSTOM_HIGH_PRIORITY)
public final class AwsJsonLogs extends ContextAwareBase implements Configurator {
    /** Logback calls this constructor through the service loader. */
    public AwsJsonLogs() {
    }

    /**
     * Whether the process runs on Lambda or ECS: each sets a variable of its own (Lambda developer guide, "Defined
     * runtime environment variables"; Amazon ECS developer guide, "Task metadata endpoint version 4").
     */
    public static boolean runsOnAws(Map<String, String> env) {
        return env.containsKey("AWS_LAMBDA_FUNCTION_NAME") || env.containsKey("ECS_CONTAINER_METADATA_URI_V4");
    }

    @Override
    public ExecutionStatus configure(LoggerContext context) {
        return configure(context, System.getenv());
    }

    ExecutionStatus configure(LoggerContext context, Map<String, String> env) {
        if (!runsOnAws(env)) {
            return ExecutionStatus.INVOKE_NEXT_IF_ANY;
        }
        JsonEncoder encoder = new JsonEncoder();
        encoder.setContext(context);
        // The formatted message only: the raw pattern and its arguments apart would say the same thing twice.
        encoder.setWithFormattedMessage(true);
        encoder.setWithMessage(false);
        encoder.setWithArguments(false);
        encoder.setWithSequenceNumber(false);
        encoder.setWithContext(false);
        encoder.setWithNanoseconds(false);
        encoder.start();

        ConsoleAppender<ILoggingEvent> appender = new ConsoleAppender<>();
        appender.setContext(context);
        appender.setName("json");
        appender.setEncoder(encoder);
        appender.start();

        Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
        root.setLevel(Level.INFO);
        root.addAppender(appender);
        return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
    }
}
