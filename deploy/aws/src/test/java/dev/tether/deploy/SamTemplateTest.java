package dev.tether.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.Context;
import dev.tether.channel.ChannelSecret;
import dev.tether.session.lambda.SessionLambda;
import dev.tether.topic.Topics;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.reflect.Modifier;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The AWS SAM template of the Lambda pair, against the code and the jars it deploys. */
class SamTemplateTest {
    private static final String STREAM_HANDLER = "com.amazonaws.services.lambda.runtime.RequestStreamHandler";
    private static final String HANDLER = "com.amazonaws.services.lambda.runtime.RequestHandler";

    private final Template template = Repository.sam(Map.of());

    @Test
    @DisplayName("Every Ref, GetAtt and Sub names something the same parameters create, for both responder runtimes")
    void everyReference_resolves() {
        for (Template variant : List.of(template, template.with(Map.of("ResponderRuntime", "fargate",
                "AllowedOrigins", "https://app.example.com")))) {
            variant.resources().values().forEach(resource -> variant.property(resource));
            assertThat(variant.outputs()).containsKeys("SessionUrl", "ChannelSecretArn", "ClientRoleArn");
        }
    }

    @Test
    @DisplayName("Each function's handler is in the jar its CodeUri names, with the Lambda interface and method")
    void handlers_areInTheirJars() throws Exception {
        List<Template.Resource> functions = template.resourcesOfType("AWS::Serverless::Function");
        assertThat(functions).extracting(Template.Resource::name)
                .containsExactlyInAnyOrder("SessionFunction", "ResponderFunction");

        for (Template.Resource function : functions) {
            String[] handler = template.text(function, "Handler").split("::", 2);
            assertThat(handler).as("%s's handler is Class::method", function.name()).hasSize(2);
            Path jar = Repository.samTemplate().getParent().resolve(template.text(function, "CodeUri")).normalize();
            try (URLClassLoader loader = Repository.loaderOf(jar)) {
                Class<?> type = Class.forName(handler[0], false, loader);
                Class<?> context = Class.forName(Context.class.getName(), false, loader);
                boolean streams = Class.forName(STREAM_HANDLER, false, loader).isAssignableFrom(type);
                assertThat(streams || Class.forName(HANDLER, false, loader).isAssignableFrom(type))
                        .as("%s implements RequestStreamHandler or RequestHandler", handler[0]).isTrue();
                if (streams) {
                    type.getMethod(handler[1], InputStream.class, OutputStream.class, context);
                } else {
                    assertThat(List.of(type.getMethods()))
                            .anyMatch(method -> method.getName().equals(handler[1])
                                    && method.getParameterCount() == 2 && method.getParameterTypes()[1] == context);
                }
                // Lambda makes the handler with its constructor without parameters.
                assertThat(type.getConstructor().getModifiers() & Modifier.PUBLIC).isNotZero();
            }
        }
    }

    @Test
    @DisplayName("The handlers named are the services' Lambda entrypoints")
    void handlers_areTheServicesEntrypoints() {
        assertThat(template.text(template.resource("SessionFunction"), "Handler"))
                .isEqualTo(SessionLambda.class.getName() + "::handleRequest");
        assertThat(template.text(template.resource("ResponderFunction"), "Handler"))
                .isEqualTo(dev.tether.responder.lambda.ResponderLambda.class.getName() + "::handleRequest");
    }

    @Test
    @DisplayName("Both functions: Java 21 on arm64, JSON logs into a log group of the stack, their own role")
    void functions_runJava21OnArm_withJsonLogs() {
        for (Template.Resource function : template.resourcesOfType("AWS::Serverless::Function")) {
            assertThat(template.text(function, "Runtime")).as(function.name()).isEqualTo("java21");
            assertThat(template.property(function, "Architectures")).as(function.name()).isEqualTo(List.of("arm64"));
            assertThat(template.text(function, "LoggingConfig", "LogFormat")).as(function.name()).isEqualTo("JSON");
            String logGroup = template.text(function, "LoggingConfig", "LogGroup");
            assertThat(template.resource(logGroup.replaceAll("\\{Ref:(.*)}", "$1")).type())
                    .isEqualTo("AWS::Logs::LogGroup");
            assertThat(template.text(function, "Role")).as(function.name()).startsWith("{GetAtt:").endsWith(".Arn}");
            assertThat(template.property(function, "Policies"))
                    .as("%s's permissions are its role's, which these tests read", function.name()).isNull();
        }
    }

    @Test
    @DisplayName("The responder: SnapStart on published versions, the alias invoked, no retries, timeout and memory"
            + " from parameters")
    void responder_snapStart_alias_noRetries() {
        Template.Resource responder = template.resource("ResponderFunction");

        assertThat(template.text(responder, "SnapStart", "ApplyOn")).isEqualTo("PublishedVersions");
        assertThat(template.text(responder, "AutoPublishAlias")).isNotBlank();
        assertThat(template.property(responder, "EventInvokeConfig", "MaximumRetryAttempts")).isEqualTo(0);

        Map<String, Object> raw = Template.map(Template.map(template.raw().get("Resources")).get("ResponderFunction"));
        Map<String, Object> properties = Template.map(raw.get("Properties"));
        String timeout = String.valueOf(Template.map(properties.get("Timeout")).get("Ref"));
        String memory = String.valueOf(Template.map(properties.get("MemorySize")).get("Ref"));
        assertThat(template.parameterDeclaration(timeout)).containsEntry("MaxValue", 900);
        Template changed = template.with(Map.of(timeout, "120", memory, "1024"));
        assertThat(changed.property(changed.resource("ResponderFunction"), "Timeout")).isEqualTo("120");
        assertThat(changed.property(changed.resource("ResponderFunction"), "MemorySize")).isEqualTo("1024");
    }

    @Test
    @DisplayName("The session function has no SnapStart: a snapshot would copy its minted channels into every copy")
    void session_hasNoSnapStart() {
        assertThat(template.property(template.resource("SessionFunction"), "SnapStart")).isNull();
    }

    @Test
    @DisplayName("The topic rule selects the session topic the services use, with SQL version and error action")
    void rule_selectsTheSessionTopic() {
        for (String prefix : List.of("tether", "acme/chat-1")) {
            Template variant = template.with(Map.of("TopicPrefix", prefix));
            Template.Resource rule = variant.resource("SessionRule");

            assertThat(variant.text(rule, "TopicRulePayload", "Sql"))
                    .isEqualTo("SELECT * FROM '" + new Topics(prefix).session() + "'");
            assertThat(variant.text(rule, "TopicRulePayload", "AwsIotSqlVersion")).isEqualTo("2016-03-23");
            assertThat(Template.map(variant.property(rule, "TopicRulePayload", "ErrorAction"))).isNotEmpty();
            assertThat(variant.property(rule, "TopicRulePayload", "RuleDisabled")).isEqualTo(false);
        }
    }

    @Test
    @DisplayName("The rule invokes the responder's alias (SnapStart), and only the rule may")
    void rule_invokesTheAlias() {
        Template.Resource rule = template.resource("SessionRule");
        List<Object> actions = Template.list(template.property(rule, "TopicRulePayload", "Actions"));

        assertThat(actions).hasSize(1);
        assertThat(Template.map(Template.map(actions.get(0)).get("Lambda")).get("FunctionArn"))
                .isEqualTo("{Ref:ResponderFunction.Alias}");
        List<Template.Resource> permissions = template.resourcesOfType("AWS::Lambda::Permission").stream()
                .filter(permission -> "iot.amazonaws.com".equals(template.property(permission, "Principal")))
                .toList();
        assertThat(permissions).hasSize(1);
        assertThat(template.property(permissions.get(0), "FunctionName")).isEqualTo("{Ref:ResponderFunction.Alias}");
        assertThat(template.property(permissions.get(0), "SourceArn")).isEqualTo("{GetAtt:SessionRule.Arn}");
        assertThat(template.property(permissions.get(0), "SourceAccount")).isEqualTo(Template.ACCOUNT);
    }

    @Test
    @DisplayName("With responders on Fargate the stack has no responder function and no rule to start it")
    void fargateResponders_leaveOutTheLambdaResponder() {
        Template variant = template.with(Map.of("ResponderRuntime", "fargate"));

        assertThat(variant.resourcesOfType("AWS::Serverless::Function")).extracting(Template.Resource::name)
                .containsExactly("SessionFunction");
        assertThat(variant.resourcesOfType("AWS::IoT::TopicRule")).isEmpty();
    }

    @Test
    @DisplayName("HTTP API: only GET /session, payload 2.0, to the session function; CORS from the parameter")
    void httpApi_routesGetSession_withCorsFromTheParameter() {
        List<Template.Resource> routes = template.resourcesOfType("AWS::ApiGatewayV2::Route");
        assertThat(routes).hasSize(1);
        assertThat(template.text(routes.get(0), "RouteKey")).isEqualTo("GET /session");
        String integration = template.text(routes.get(0), "Target").replace("integrations/{Ref:", "").replace("}", "");
        assertThat(template.text(template.resource(integration), "IntegrationUri"))
                .isEqualTo("{GetAtt:SessionFunction.Arn}");
        assertThat(template.text(template.resource(integration), "PayloadFormatVersion")).isEqualTo("2.0");

        Template.Resource api = template.resourcesOfType("AWS::ApiGatewayV2::Api").get(0);
        assertThat(template.property(api, "CorsConfiguration")).as("no origins, no CORS").isNull();
        Template withOrigins = template.with(Map.of("AllowedOrigins", "https://a.example.com,https://b.example.com"));
        assertThat(withOrigins.property(withOrigins.resource(api.name()), "CorsConfiguration", "AllowOrigins"))
                .isEqualTo(List.of("https://a.example.com", "https://b.example.com"));
        assertThat(withOrigins.property(withOrigins.resource("SessionFunction"), "Environment", "Variables",
                "TETHER_ALLOWED_ORIGINS")).isEqualTo("https://a.example.com,https://b.example.com");
    }

    @Test
    @DisplayName("The channel secret is generated by Secrets Manager, long enough, and no parameter holds it")
    void channelSecret_isGenerated_andReachesBothFunctionsByReference() {
        List<Template.Resource> secrets = template.resourcesOfType("AWS::SecretsManager::Secret");
        assertThat(secrets).hasSize(1);
        Template.Resource secret = secrets.get(0);
        assertThat(template.property(secret, "SecretString")).as("no value written in the template").isNull();
        assertThat(Integer.parseInt(template.text(secret, "GenerateSecretString", "PasswordLength")))
                .isGreaterThanOrEqualTo(ChannelSecret.MIN_BYTES);

        for (Template.Resource function : template.resourcesOfType("AWS::Serverless::Function")) {
            assertThat(template.property(function, "Environment", "Variables", "TETHER_CHANNEL_SECRET"))
                    .as(function.name())
                    .isEqualTo("{{resolve:secretsmanager:{Ref:" + secret.name() + "}:SecretString}}");
        }
    }
}
