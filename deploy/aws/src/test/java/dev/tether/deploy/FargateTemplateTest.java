package dev.tether.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tether.config.ConfigVariable;
import dev.tether.responder.ResponderConfig;
import dev.tether.responder.container.ActiveSessionsMetric;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The Fargate template of the container responder, against the code and the image definition. */
class FargateTemplateTest {
    private final Template template = Repository.fargate(Map.of());
    private final Map<String, Object> container = EnvironmentTest.container(template);

    @Test
    @DisplayName("Every Ref, GetAtt and Sub names a parameter, a pseudo parameter or a resource of the template")
    void everyReference_resolves() {
        template.resources().values().forEach(resource -> template.property(resource));

        assertThat(template.outputs()).containsKeys("ClusterName", "ServiceName");
    }

    @Test
    @DisplayName("The health check asks the responder's own port for /health/live, with a tool the image has")
    void healthCheck_asksLiveness_onTheResponderPort() {
        List<String> command = Template.list(Template.map(container.get("HealthCheck")).get("Command")).stream()
                .map(String::valueOf).toList();
        assertThat(command.get(0)).isEqualTo("CMD");
        URI url = URI.create(command.get(command.size() - 1));

        assertThat(url.getPath()).isEqualTo("/health/live");
        assertThat(String.valueOf(url.getPort())).isEqualTo(variable(ConfigVariable.TETHER_RESPONDER_HTTP_PORT));
        assertThat(url.getHost()).isEqualTo("127.0.0.1");
        assertThat(ContainerImage.read().stage("responder").installs(command.get(1)))
                .as("the responder image installs %s", command.get(1)).isTrue();
    }

    @Test
    @DisplayName("SIGKILL comes after the shutdown grace: stopTimeout is Fargate's largest and above the grace")
    void stopTimeout_leavesTheGracePeriod() {
        int stopTimeout = Integer.parseInt(String.valueOf(container.get("StopTimeout")));
        Map<String, Object> declaration = template.parameterDeclaration("ShutdownGraceSeconds");
        Template changed = template.with(Map.of("ShutdownGraceSeconds", "90"));

        assertThat(stopTimeout).isLessThanOrEqualTo((int) ResponderConfig.MAX_SHUTDOWN_GRACE.toSeconds());
        assertThat((Integer) declaration.get("MaxValue")).isLessThan(stopTimeout);
        assertThat(variable(EnvironmentTest.container(changed), ConfigVariable.TETHER_SHUTDOWN_GRACE_SECONDS))
                .isEqualTo("90");
    }

    @Test
    @DisplayName("Logs go through awslogs to the stack's log group in the stack's region")
    void logs_goToTheStacksLogGroup() {
        Map<String, Object> logging = Template.map(container.get("LogConfiguration"));

        assertThat(logging.get("LogDriver")).isEqualTo("awslogs");
        assertThat(Template.map(logging.get("Options")))
                .containsEntry("awslogs-group", "{Ref:LogGroup}")
                .containsEntry("awslogs-region", Template.REGION);
        assertThat(template.resource("LogGroup").type()).isEqualTo("AWS::Logs::LogGroup");
    }

    @Test
    @DisplayName("Scaling tracks the metric the responder writes: namespace, name, unit and its ShareGroup dimension")
    void scaling_tracksTheMetricTheResponderWrites() {
        List<Template.Resource> policies = template.resourcesOfType("AWS::ApplicationAutoScaling::ScalingPolicy");
        assertThat(policies).hasSize(1);
        Map<String, Object> metric = Template.map(template.property(policies.get(0),
                "TargetTrackingScalingPolicyConfiguration", "CustomizedMetricSpecification"));
        String group = variable(ConfigVariable.TETHER_SHARE_GROUP);
        JsonObject written = writtenMetric(group);
        JsonObject directive = written.getJsonObject("_aws").getJsonArray("CloudWatchMetrics").getJsonObject(0);

        assertThat(metric.get("Namespace")).isEqualTo(directive.getString("Namespace"));
        assertThat(metric.get("MetricName")).isEqualTo(directive.getJsonArray("Metrics").getJsonObject(0)
                .getString("Name"));
        assertThat(metric.get("Unit")).isEqualTo(directive.getJsonArray("Metrics").getJsonObject(0)
                .getString("Unit"));
        assertThat(metric.get("Statistic")).as("sessions per task").isEqualTo("Average");
        List<Object> dimensions = Template.list(metric.get("Dimensions"));
        assertThat(dimensions).hasSize(directive.getJsonArray("Dimensions").getJsonArray(0).size());
        for (Object dimension : dimensions) {
            String name = String.valueOf(Template.map(dimension).get("Name"));
            assertThat(directive.getJsonArray("Dimensions").getJsonArray(0).contains(name)).as(name).isTrue();
            assertThat(Template.map(dimension).get("Value")).isEqualTo(written.getString(name));
        }
        assertThat(template.property(policies.get(0), "ScalingTargetId")).isEqualTo("{Ref:ScalableTarget}");
    }

    @Test
    @DisplayName("The tasks accept no connection and reach out on HTTPS only")
    void securityGroup_noIngress_httpsEgressOnly() {
        List<Template.Resource> groups = template.resourcesOfType("AWS::EC2::SecurityGroup");
        assertThat(groups).hasSize(1);
        assertThat(template.property(groups.get(0), "SecurityGroupIngress")).isNull();
        assertThat(template.resourcesOfType("AWS::EC2::SecurityGroupIngress")).isEmpty();
        List<Object> egress = Template.list(template.property(groups.get(0), "SecurityGroupEgress"));
        assertThat(egress).isNotEmpty();
        for (Object rule : egress) {
            assertThat(Template.map(rule)).containsEntry("IpProtocol", "tcp").containsEntry("FromPort", 443)
                    .containsEntry("ToPort", 443);
        }
        Object service = template.property(template.resource("Service"), "NetworkConfiguration",
                "AwsvpcConfiguration", "SecurityGroups");
        assertThat(service).isEqualTo(List.of("{Ref:" + groups.get(0).name() + "}"));
    }

    @Test
    @DisplayName("The task runs the ECR image named by the parameters, on Fargate, for the architecture chosen")
    void task_runsTheImageFromEcr() {
        Template.Resource task = template.resource("TaskDefinition");

        assertThat(container.get("Image")).isEqualTo(Template.ACCOUNT + ".dkr.ecr." + Template.REGION
                + ".amazonaws.com/" + template.parameter("ImageRepository") + ":" + template.parameter("ImageTag"));
        assertThat(template.property(task, "RequiresCompatibilities")).isEqualTo(List.of("FARGATE"));
        assertThat(template.property(task, "RuntimePlatform", "CpuArchitecture"))
                .isEqualTo(template.parameter("CpuArchitecture"));
        assertThat(template.text(template.resource("Service"), "LaunchType")).isEqualTo("FARGATE");
    }

    private String variable(ConfigVariable variable) {
        return variable(container, variable);
    }

    private static String variable(Map<String, Object> container, ConfigVariable variable) {
        for (Object entry : Template.list(container.get("Environment"))) {
            if (variable.name().equals(Template.map(entry).get("Name"))) {
                return String.valueOf(Template.map(entry).get("Value"));
            }
        }
        return variable.defaultValue().orElseThrow(() -> new AssertionError(variable + " is not set"));
    }

    // One line as the responder writes it, caught before it reaches stdout.
    private static JsonObject writtenMetric(String group) {
        List<JsonObject> lines = new ArrayList<>();
        new ActiveSessionsMetric(ActiveSessionsMetric.writingTo(line -> lines.add(new JsonObject(line))), group,
                () -> 1).report();
        assertThat(lines).hasSize(1);
        return lines.get(0);
    }
}
