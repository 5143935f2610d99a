package dev.tether.responder.container;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.cloudwatchlogs.emf.environment.Environment;

@ExtendWith(VertxExtension.class)
class ActiveSessionsMetricTest {
    private final List<JsonObject> lines = new CopyOnWriteArrayList<>();

    @Test
    @DisplayName("A report is one embedded metric format line: Tether/ActiveSessions by ShareGroup, as a count")
    void report_writesOneEmfLine() {
        new ActiveSessionsMetric(recording(), "tether-responders", () -> 7).report();

        assertThat(lines).hasSize(1);
        JsonObject line = lines.get(0);
        JsonObject directive = line.getJsonObject("_aws").getJsonArray("CloudWatchMetrics").getJsonObject(0);
        assertThat(directive.getString("Namespace")).isEqualTo("Tether");
        assertThat(directive.getJsonArray("Dimensions")).isEqualTo(new JsonArray().add(new JsonArray()
                .add("ShareGroup")));
        assertThat(directive.getJsonArray("Metrics")).isEqualTo(new JsonArray().add(new JsonObject()
                .put("Name", "ActiveSessions").put("Unit", "Count")));
        assertThat(line.getString("ShareGroup")).isEqualTo("tether-responders");
        assertThat(line.getDouble("ActiveSessions")).isEqualTo(7.0);
        assertThat(line.getJsonObject("_aws").getLong("Timestamp")).isPositive();
    }

    @Test
    @DisplayName("Every period it reports the count of that moment")
    void every_reportsTheCurrentCount(Vertx vertx, VertxTestContext test) {
        AtomicInteger active = new AtomicInteger(3);
        ActiveSessionsMetric metric = new ActiveSessionsMetric(recording(), "g", active::get);
        long timer = metric.every(vertx, Duration.ofMillis(50));

        vertx.setPeriodic(20, check -> {
            if (lines.size() == 1) {
                active.set(5);
            }
            if (lines.size() >= 3) {
                vertx.cancelTimer(timer);
                vertx.cancelTimer(check);
                test.verify(() -> {
                    assertThat(lines.get(0).getDouble("ActiveSessions")).isEqualTo(3.0);
                    assertThat(lines.get(lines.size() - 1).getDouble("ActiveSessions")).isEqualTo(5.0);
                    test.completeNow();
                });
            }
        });
    }

    @Test
    @DisplayName("The stdout environment writes the line to stdout, whole, for the awslogs log driver")
    void stdout_writesTheLine() {
        PrintStream original = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            new ActiveSessionsMetric(ActiveSessionsMetric.stdout(), "g", () -> 2).report();
        } finally {
            System.setOut(original);
        }

        String[] written = captured.toString(StandardCharsets.UTF_8).strip().split("\n");
        assertThat(written).hasSize(1);
        assertThat(new JsonObject(written[0]).getDouble("ActiveSessions")).isEqualTo(2.0);
    }

    @Test
    void onEcs_isKnownByTheTaskMetadataVariable() {
        assertThat(ActiveSessionsMetric.onEcs(Map.of("ECS_CONTAINER_METADATA_URI_V4", "http://169.254.170.2/v4/x")))
                .isTrue();
        assertThat(ActiveSessionsMetric.onEcs(Map.of("AWS_LAMBDA_FUNCTION_NAME", "f"))).isFalse();
    }

    /** The container's metric environment, with each line kept here instead of written to stdout. */
    private Supplier<Environment> recording() {
        return ActiveSessionsMetric.writingTo(line -> lines.add(new JsonObject(line)));
    }
}
