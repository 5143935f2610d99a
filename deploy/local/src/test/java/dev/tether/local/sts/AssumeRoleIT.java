package dev.tether.local.sts;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.tether.local.TestStandIns;
import dev.tether.local.TestStandIns.Client;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;
import software.amazon.awssdk.identity.spi.AwsSessionCredentialsIdentity;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.model.AssumeRoleResponse;
import software.amazon.awssdk.services.sts.model.Credentials;
import software.amazon.awssdk.services.sts.model.StsException;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;

import static dev.tether.local.TestStandIns.ABSENT;
import static dev.tether.local.TestStandIns.FULL;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** AssumeRole through the AWS SDK's own StsClient, and what the issued credentials may then do on the broker. */
@ExtendWith(VertxExtension.class)
class AssumeRoleIT {
    private static final String ARN = "arn:aws:iot:us-east-1:000000000000:";
    private static final String SESSION_POLICY = """
            {"Version": "2012-10-17", "Statement": [
              {"Effect": "Allow", "Action": "iot:Connect", "Resource": "%1$sclient/client-ch1"},
              {"Effect": "Allow", "Action": ["iot:Subscribe"],
               "Resource": "%1$stopicfilter/tether/ch1/response"},
              {"Effect": "Allow", "Action": ["iot:Receive"], "Resource": "%1$stopic/tether/ch1/response"},
              {"Effect": "Allow", "Action": "iot:Publish",
               "Resource": ["%1$stopic/tether/ch1/request", "%1$stopic/tether/session"]}
            ]}""".formatted(ARN);

    private TestStandIns standIns;
    private StsClient sts;

    @BeforeEach
    void start(Vertx vertx) throws Exception {
        standIns = TestStandIns.start(vertx);
        sts = sts(FULL);
    }

    @AfterEach
    void closeSts() {
        sts.close();
    }

    @Test
    @DisplayName("credentials from AssumeRole with a session policy reach their own channel and nothing else")
    void scopedCredentials() throws Exception {
        AssumeRoleResponse response = sts.assumeRole(r -> r
                .roleArn(TestStandIns.CLIENT_ROLE)
                .roleSessionName("ch1")
                .durationSeconds(900)
                .policy(SESSION_POLICY));
        Credentials credentials = response.credentials();
        assertThat(credentials.accessKeyId()).startsWith("ASIA");
        assertThat(credentials.expiration()).isBetween(Instant.now().plus(Duration.ofMinutes(14)),
                Instant.now().plus(Duration.ofMinutes(16)));
        assertThat(response.assumedRoleUser().arn())
                .isEqualTo("arn:aws:sts::000000000000:assumed-role/tether-client/ch1");
        assertThat(response.assumedRoleUser().assumedRoleId()).matches("AROA[0-9A-F]{17}:ch1");
        AwsCredentialsIdentity scoped = AwsSessionCredentialsIdentity.create(credentials.accessKeyId(),
                credentials.secretAccessKey(), credentials.sessionToken());

        assertThatThrownBy(() -> standIns.connect("client-ch2", standIns.url(scoped)))
                .isInstanceOfSatisfying(MqttException.class, e -> assertThat(e.getReasonCode())
                        .isEqualTo(MqttException.REASON_CODE_NOT_AUTHORIZED));
        try (Client responder = standIns.connect("responder", standIns.url(FULL));
                Client client = standIns.connect("client-ch1", standIns.url(scoped))) {
            responder.subscribe("tether/ch1/request", "tether/session");
            assertThat(client.subscribe("tether/ch1/response", "tether/ch2/response", "tether/#"))
                    .containsExactly(1, 0x80, 0x80);

            client.publish("tether/session", "{\"channelId\":\"ch1\"}", 1);
            client.publish("tether/ch1/request", "{\"id\":1}", 1);
            assertThat(responder.next().topic()).isEqualTo("tether/session");
            assertThat(responder.next().topic()).isEqualTo("tether/ch1/request");
            responder.publish("tether/ch1/response", "{\"inReplyTo\":1}", 1);
            assertThat(client.next().payload()).isEqualTo("{\"inReplyTo\":1}");

            client.paho.publish("tether/ch2/request", "{\"id\":2}".getBytes(), 1, false);
            assertThat(client.awaitLost()).isNotNull();
            assertThat(responder.nextWithin(ABSENT)).isEmpty();
        }
    }

    @Test
    @DisplayName("without a session policy the role's own policy applies")
    void rolePolicyAlone() throws Exception {
        Credentials credentials = sts.assumeRole(r -> r
                .roleArn(TestStandIns.CLIENT_ROLE)
                .roleSessionName("wide")).credentials();

        try (Client client = standIns.connect("any-client", standIns.url(AwsSessionCredentialsIdentity.create(
                credentials.accessKeyId(), credentials.secretAccessKey(), credentials.sessionToken())))) {
            assertThat(client.subscribe("anything/#")).containsExactly(1);
        }
    }

    @Test
    @DisplayName("issued credentials with the wrong session token are refused")
    void wrongToken() {
        Credentials credentials = sts.assumeRole(r -> r
                .roleArn(TestStandIns.CLIENT_ROLE)
                .roleSessionName("s1")).credentials();

        assertThatThrownBy(() -> standIns.connect("c", standIns.url(AwsSessionCredentialsIdentity.create(
                credentials.accessKeyId(), credentials.secretAccessKey(), credentials.sessionToken() + "x"))))
                .isInstanceOf(MqttException.class);
        assertThatThrownBy(() -> standIns.connect("c", standIns.url(AwsCredentialsIdentity.create(
                credentials.accessKeyId(), credentials.secretAccessKey()))))
                .isInstanceOf(MqttException.class);
    }

    @Test
    @DisplayName("a caller whose policy does not allow sts:AssumeRole gets AccessDenied")
    void callerNotAllowed() {
        try (StsClient narrow = sts(TestStandIns.NARROW)) {
            assertThatThrownBy(() -> narrow.assumeRole(r -> r
                    .roleArn(TestStandIns.CLIENT_ROLE)
                    .roleSessionName("s1")))
                    .isInstanceOfSatisfying(StsException.class, e -> {
                        assertThat(e.statusCode()).isEqualTo(403);
                        assertThat(e.awsErrorDetails().errorCode()).isEqualTo("AccessDenied");
                    });
        }
    }

    @Test
    @DisplayName("an unknown role gets AccessDenied")
    void unknownRole() {
        assertThatThrownBy(() -> sts.assumeRole(r -> r
                .roleArn("arn:aws:iam::000000000000:role/nobody")
                .roleSessionName("s1")))
                .isInstanceOfSatisfying(StsException.class, e -> assertThat(e.awsErrorDetails().errorCode())
                        .isEqualTo("AccessDenied"));
    }

    @Test
    @DisplayName("bad DurationSeconds, RoleSessionName and Policy are refused saying what is allowed")
    void validation() {
        assertThatThrownBy(() -> sts.assumeRole(r -> r
                .roleArn(TestStandIns.CLIENT_ROLE)
                .roleSessionName("s1")
                .durationSeconds(100)))
                .isInstanceOfSatisfying(StsException.class, e -> {
                    assertThat(e.awsErrorDetails().errorCode()).isEqualTo("ValidationError");
                    assertThat(e.awsErrorDetails().errorMessage()).contains("900 to 3600");
                });
        assertThatThrownBy(() -> sts.assumeRole(r -> r
                .roleArn(TestStandIns.CLIENT_ROLE)
                .roleSessionName("bad name!")))
                .isInstanceOfSatisfying(StsException.class, e -> assertThat(e.awsErrorDetails().errorCode())
                        .isEqualTo("ValidationError"));
        assertThatThrownBy(() -> sts.assumeRole(r -> r
                .roleArn(TestStandIns.CLIENT_ROLE)
                .roleSessionName("s1")
                .policy("{\"Statement\": []")))
                .isInstanceOfSatisfying(StsException.class, e -> assertThat(e.awsErrorDetails().errorCode())
                        .isEqualTo("MalformedPolicyDocument"));
    }

    @Test
    @DisplayName("a wrong secret gets SignatureDoesNotMatch; an unknown key gets InvalidClientTokenId")
    void badSignatures() {
        try (StsClient wrongSecret = sts(AwsCredentialsIdentity.create(FULL.accessKeyId(), "wrong"));
                StsClient unknown = sts(AwsCredentialsIdentity.create("AKIAUNKNOWN000000001", "x"))) {
            assertThatThrownBy(() -> wrongSecret.assumeRole(r -> r
                    .roleArn(TestStandIns.CLIENT_ROLE)
                    .roleSessionName("s1")))
                    .isInstanceOfSatisfying(StsException.class, e -> assertThat(e.awsErrorDetails().errorCode())
                            .isEqualTo("SignatureDoesNotMatch"));
            assertThatThrownBy(() -> unknown.assumeRole(r -> r
                    .roleArn(TestStandIns.CLIENT_ROLE)
                    .roleSessionName("s1")))
                    .isInstanceOfSatisfying(StsException.class, e -> assertThat(e.awsErrorDetails().errorCode())
                            .isEqualTo("InvalidClientTokenId"));
        }
    }

    private StsClient sts(AwsCredentialsIdentity caller) {
        return StsClient.builder()
                .endpointOverride(URI.create("http://127.0.0.1:" + standIns.aws().httpPort()))
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(
                        caller.accessKeyId(), caller.secretAccessKey())))
                .httpClient(UrlConnectionHttpClient.create())
                .build();
    }

    @Test
    @DisplayName("the issued secret and session token never reach a log line; the issued key id does")
    void logsHoldNoSecrets() {
        ListAppender<ILoggingEvent> logs = new ListAppender<>();
        logs.start();
        Logger logger = (Logger) LoggerFactory.getLogger(AssumeRoleHandler.class);
        logger.addAppender(logs);
        try {
            Credentials credentials = sts.assumeRole(r -> r
                    .roleArn(TestStandIns.CLIENT_ROLE)
                    .roleSessionName("logged")).credentials();

            String text = logs.list.stream()
                    .map(ILoggingEvent::getFormattedMessage)
                    .reduce("", (a, b) -> a + "\n" + b);
            assertThat(text)
                    .contains(credentials.accessKeyId())
                    .doesNotContain(credentials.secretAccessKey())
                    .doesNotContain(credentials.sessionToken())
                    .doesNotContain(FULL.secretAccessKey());
        } finally {
            logger.detachAppender(logs);
        }
    }
}
