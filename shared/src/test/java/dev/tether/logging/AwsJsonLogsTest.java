package dev.tether.logging;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.Configurator.ExecutionStatus;
import ch.qos.logback.classic.spi.LoggingEvent;
import ch.qos.logback.core.OutputStreamAppender;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class AwsJsonLogsTest {
    @Test
    @DisplayName("on Lambda, a log line is one JSON object with the message, the request id and cold start")
    void jsonLinesOnLambda() {
        LoggerContext context = new LoggerContext();
        AwsJsonLogs configurator = new AwsJsonLogs();
        configurator.setContext(context);

        ExecutionStatus status = configurator.configure(context, Map.of("AWS_LAMBDA_FUNCTION_NAME", "tether-session"));

        assertThat(status).isEqualTo(ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY);
        Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
        OutputStreamAppender<ch.qos.logback.classic.spi.ILoggingEvent> appender =
                (OutputStreamAppender<ch.qos.logback.classic.spi.ILoggingEvent>) root.getAppender("json");
        LoggingEvent event = new LoggingEvent(getClass().getName(), root, Level.INFO, "{} GET /session answered {}",
                null, new Object[] {"req-1", 200});
        event.setMDCPropertyMap(Map.of("requestId", "req-1", "coldStart", "true"));
        String line = new String(appender.getEncoder().encode(event), StandardCharsets.UTF_8);

        assertThat(line).endsWith("\n").doesNotContain("\n{");
        JsonObject json = new JsonObject(line.trim());
        assertThat(json.getString("level")).isEqualTo("INFO");
        assertThat(json.getString("formattedMessage")).isEqualTo("req-1 GET /session answered 200");
        assertThat(json.containsKey("message")).isFalse();
        assertThat(json.getJsonObject("mdc").getMap())
                .containsEntry("requestId", "req-1")
                .containsEntry("coldStart", "true");
    }

    @Test
    @DisplayName("on ECS, known by its task metadata endpoint, log lines are JSON too")
    void jsonLinesOnEcs() {
        LoggerContext context = new LoggerContext();
        AwsJsonLogs configurator = new AwsJsonLogs();
        configurator.setContext(context);

        Map<String, String> ecs = Map.of("ECS_CONTAINER_METADATA_URI_V4", "http://169.254.170.2/v4/task-1");
        assertThat(configurator.configure(context, ecs))
                .isEqualTo(ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY);
        assertThat(context.getLogger(Logger.ROOT_LOGGER_NAME).getAppender("json")).isNotNull();
    }

    @Test
    @DisplayName("off AWS, the configurator leaves logging to logback.xml's readable lines")
    void readableLinesElsewhere() {
        LoggerContext context = new LoggerContext();
        AwsJsonLogs configurator = new AwsJsonLogs();
        configurator.setContext(context);

        assertThat(configurator.configure(context, Map.of("HOME", "/root")))
                .isEqualTo(ExecutionStatus.INVOKE_NEXT_IF_ANY);
        assertThat(context.getLogger(Logger.ROOT_LOGGER_NAME).getAppender("json")).isNull();
    }
}
