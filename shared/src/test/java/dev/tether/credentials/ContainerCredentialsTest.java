package dev.tether.credentials;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.tether.credentials.CachedCredentials.Timing;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.Checkpoint;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.ContainerCredentialsProvider;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;
import software.amazon.awssdk.identity.spi.AwsSessionCredentialsIdentity;

/**
 * CachedCredentials where only container credentials exist, as on ECS Fargate or Lambda with SnapStart: a loopback
 * server answers like the container credentials endpoint, and the SDK finds it through
 * {@code aws.containerCredentialsFullUri}.
 */
@ExtendWith(VertxExtension.class)
class ContainerCredentialsTest {
    private static final String FULL_URI_PROPERTY = "aws.containerCredentialsFullUri";
    private static final List<String> ISOLATING_PROPERTIES = List.of(FULL_URI_PROPERTY, "aws.sharedCredentialsFile",
            "aws.configFile");
    private static final String PATH = "/v2/credentials/tether-test";

    private final AtomicInteger requests = new AtomicInteger();
    private final Instant expiration = Instant.now().plus(1, ChronoUnit.HOURS).truncatedTo(ChronoUnit.SECONDS);
    private HttpServer endpoint;

    @BeforeEach
    void startCredentialsEndpoint(Vertx vertx, VertxTestContext testContext) {
        JsonObject answer = new JsonObject()
                .put("AccessKeyId", "ASIACONTAINERTEST")
                .put("SecretAccessKey", "container-secret-access-key")
                .put("Token", "container-session-token")
                .put("Expiration", expiration.toString());
        vertx.createHttpServer()
                .requestHandler(request -> {
                    requests.incrementAndGet();
                    if (!request.path().equals(PATH)) {
                        request.response().setStatusCode(404).end();
                        return;
                    }
                    request.response().putHeader("Content-Type", "application/json").end(answer.encode());
                })
                .listen(0, "127.0.0.1")
                .onComplete(testContext.succeeding(server -> {
                    endpoint = server;
                    System.setProperty(FULL_URI_PROPERTY, "http://127.0.0.1:" + server.actualPort() + PATH);
                    testContext.completeNow();
                }));
    }

    @AfterEach
    void clearProperties() {
        ISOLATING_PROPERTIES.forEach(System::clearProperty);
    }

    @Test
    @DisplayName("Over the SDK's default chain, with only container credentials available, their keys are returned")
    void defaultChain_findsContainerCredentials(Vertx vertx, VertxTestContext testContext, @TempDir Path noProfiles) {
        // The default chain asks environment variables, system properties, web identity and profile files before
        // container credentials. The profile files are pointed at an empty directory so a developer's ~/.aws cannot
        // answer first; environment variables cannot be cleared in-process, so the test is skipped when they are
        // set. On the build machine this test was written on, none were set and the default chain reached the
        // container endpoint; the next test covers ContainerCredentialsProvider alone either way.
        for (String variable : List.of("AWS_ACCESS_KEY_ID", "AWS_WEB_IDENTITY_TOKEN_FILE",
                "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI", "AWS_CONTAINER_CREDENTIALS_FULL_URI")) {
            assumeTrue(System.getenv(variable) == null, variable + " is set, so the default chain would use it");
        }
        assumeTrue(System.getProperty("aws.accessKeyId") == null, "aws.accessKeyId is set");
        System.setProperty("aws.sharedCredentialsFile", noProfiles.resolve("credentials").toString());
        System.setProperty("aws.configFile", noProfiles.resolve("config").toString());

        CachedCredentials credentials = new CachedCredentials(vertx);

        credentials.current().onComplete(testContext.succeeding(identity -> testContext.verify(() -> {
            assertContainerCredentials(identity);
            credentials.close();
            testContext.completeNow();
        })));
    }

    @Test
    @DisplayName("Over ContainerCredentialsProvider, the endpoint is asked once and its keys are cached")
    void containerProvider_isAskedOnce(Vertx vertx, VertxTestContext testContext) {
        ContainerCredentialsProvider provider = ContainerCredentialsProvider.builder().build();
        CachedCredentials credentials = new CachedCredentials(vertx, provider, Clock.systemUTC(), Timing.defaults());
        Checkpoint both = testContext.checkpoint(2);

        credentials.current()
                .compose(first -> credentials.current().map(second -> List.of(first, second)))
                .onComplete(testContext.succeeding(identities -> testContext.verify(() -> {
                    for (AwsCredentialsIdentity identity : identities) {
                        assertContainerCredentials(identity);
                        both.flag();
                    }
                    assertThat(requests).hasValue(1);
                    provider.close();
                })));
    }

    private void assertContainerCredentials(AwsCredentialsIdentity identity) {
        assertThat(identity.accessKeyId()).isEqualTo("ASIACONTAINERTEST");
        assertThat(identity.secretAccessKey()).isEqualTo("container-secret-access-key");
        assertThat(identity).isInstanceOfSatisfying(AwsSessionCredentialsIdentity.class,
                session -> assertThat(session.sessionToken()).isEqualTo("container-session-token"));
        assertThat(identity.expirationTime()).contains(expiration);
        assertThat(endpoint.actualPort()).isPositive();
    }
}
