package dev.tether.responder.internal;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.Configurator.ExecutionStatus;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

class AwsJsonLogsTest {
    static {
        // Logback's own start-up, with its status lines, happens here, before a test captures stdout.
        LoggerFactory.getILoggerFactory();
    }

    @Test
    @DisplayName("On Lambda each log event is one JSON line with the message and the MDC's request id")
    void onLambda_writesJsonLines() {
        LoggerContext context = new LoggerContext();
        // As Logback's SLF4J provider does for the context it makes at start.
        context.setMDCAdapter(MDC.getMDCAdapter());
        PrintStream original = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        ExecutionStatus status;
        try {
            status = new AwsJsonLogs().configure(context, Map.of("AWS_LAMBDA_FUNCTION_NAME", "tether-responder"));
            MDC.put("requestId", "req-1");
            context.getLogger("dev.tether.responder.Example").info("{} session ended: {}", "abc", "idle");
        } finally {
            MDC.remove("requestId");
            System.setOut(original);
            context.stop();
        }

        String[] lines = captured.toString(StandardCharsets.UTF_8).strip().split("\n");
        assertThat(status).isEqualTo(ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY);
        assertThat(lines).hasSize(1);
        JsonObject line = new JsonObject(lines[0]);
        assertThat(line.getString("level")).isEqualTo("INFO");
        assertThat(line.getString("formattedMessage")).isEqualTo("abc session ended: idle");
        assertThat(line.getJsonObject("mdc").getString("requestId")).isEqualTo("req-1");
    }

    @Test
    @DisplayName("Off AWS it leaves the configuration to logback.xml")
    void offAws_defers() {
        assertThat(new AwsJsonLogs().configure(new LoggerContext(), Map.of()))
                .isEqualTo(ExecutionStatus.INVOKE_NEXT_IF_ANY);
    }
}
