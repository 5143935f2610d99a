package dev.tether.local.iot;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.tether.local.TestStandIns;
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
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.signer.Aws4Signer;
import software.amazon.awssdk.auth.signer.params.Aws4PresignerParams;
import software.amazon.awssdk.http.SdkHttpFullRequest;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;
import software.amazon.awssdk.identity.spi.AwsSessionCredentialsIdentity;
import software.amazon.awssdk.regions.Region;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Every way a presigned URL can be wrong is refused with CONNACK "not authorized", and logged without secrets. */
@ExtendWith(VertxExtension.class)
class AuthenticationIT {
    private TestStandIns standIns;
    private ListAppender<ILoggingEvent> logs;

    @BeforeEach
    void start(Vertx vertx) throws Exception {
        standIns = TestStandIns.start(vertx);
        logs = new ListAppender<>();
        logs.start();
        ((Logger) LoggerFactory.getLogger(IotBroker.class)).addAppender(logs);
    }

    @AfterEach
    void stopCapturing() {
        ((Logger) LoggerFactory.getLogger(IotBroker.class)).detachAppender(logs);
    }

    @Test
    @DisplayName("a forged signature is refused")
    void forgedSignature() {
        String url = standIns.url(TestStandIns.FULL);
        int at = url.indexOf("X-Amz-Signature=") + "X-Amz-Signature=".length();
        String forged = url.substring(0, at) + (url.charAt(at) == '0' ? '1' : '0') + url.substring(at + 1);

        assertRefused(forged, "SIGNATURE_MISMATCH");
    }

    @Test
    @DisplayName("a URL signed with the wrong secret is refused")
    void wrongSecret() {
        assertRefused(standIns.url(AwsCredentialsIdentity.create(TestStandIns.FULL.accessKeyId(), "guessed")),
                "SIGNATURE_MISMATCH");
    }

    @Test
    @DisplayName("an expired URL is refused")
    void expiredUrl() {
        Clock tenMinutesAgo = Clock.fixed(Instant.now().minus(Duration.ofMinutes(10)), ZoneOffset.UTC);
        String url = dev.tether.sigv4.MqttUrlPresigner.builder()
                .scheme("ws")
                .host("127.0.0.1:" + standIns.aws().brokerPort())
                .region("us-east-1")
                .expires(Duration.ofSeconds(60))
                .clock(tenMinutesAgo)
                .build()
                .presign(TestStandIns.FULL);

        assertRefused(url, "EXPIRED");
    }

    @Test
    @DisplayName("a URL dated beyond the allowed skew is refused")
    void dateSkew() {
        Clock later = Clock.fixed(Instant.now().plus(Duration.ofMinutes(20)), ZoneOffset.UTC);

        assertRefused(standIns.presigner(later, "us-east-1").presign(TestStandIns.FULL), "DATE_SKEW");
    }

    @Test
    @DisplayName("a URL scoped to another region is refused")
    void wrongRegion() {
        assertRefused(standIns.presigner(Clock.systemUTC(), "eu-west-1").presign(TestStandIns.FULL),
                "SCOPE_REGION");
    }

    @Test
    @DisplayName("a URL signed for another service is refused")
    void wrongService() {
        assertRefused(sdkPresigned("iotdata", AwsBasicCredentials.create(TestStandIns.FULL.accessKeyId(),
                TestStandIns.FULL.secretAccessKey())), "SCOPE_SERVICE");
    }

    @Test
    @DisplayName("an unknown access key is refused")
    void unknownKey() {
        assertRefused(standIns.url(AwsCredentialsIdentity.create("AKIAUNKNOWN000000001", "whatever")),
                "UNKNOWN_ACCESS_KEY");
    }

    @Test
    @DisplayName("a session token on a static key, or a token not issued with the key, is refused")
    void tokenMismatch() {
        String url = standIns.url(AwsSessionCredentialsIdentity.create(TestStandIns.FULL.accessKeyId(),
                TestStandIns.FULL.secretAccessKey(), "not-a-token-the-key-has"));

        assertRefused(url, "TOKEN_MISMATCH");
        assertThat(logText()).doesNotContain("not-a-token-the-key-has");
    }

    @Test
    @DisplayName("a URL with the session token inside the canonical query is refused, as AWS IoT Core does")
    void tokenSignedIntoQuery() {
        assertRefused(sdkPresigned("iotdevicegateway", AwsSessionCredentials.create(
                TestStandIns.FULL.accessKeyId(), TestStandIns.FULL.secretAccessKey(), "signed-token")),
                "TOKEN_SIGNED");
    }

    @Test
    @DisplayName("a refusal is logged with its reason, never with the secret or the presigned URL")
    void refusalLogHoldsNoSecret() {
        String url = standIns.url(AwsCredentialsIdentity.create(TestStandIns.FULL.accessKeyId(), "guessed"));

        assertRefused(url, "SIGNATURE_MISMATCH");
        assertThat(logText())
                .contains("SIGNATURE_MISMATCH")
                .doesNotContain(TestStandIns.FULL.secretAccessKey())
                .doesNotContain("guessed")
                .doesNotContain(url.substring(url.indexOf('?')));
    }

    @Test
    @DisplayName("a connection to a path other than /mqtt is not upgraded")
    void otherPath() {
        String url = standIns.url(TestStandIns.FULL).replace("/mqtt?", "/other?");

        assertThatThrownBy(() -> standIns.connect("c-1", url)).isInstanceOf(MqttException.class);
    }

    private void assertRefused(String url, String reason) {
        assertThatThrownBy(() -> standIns.connect("c-1", url))
                .isInstanceOfSatisfying(MqttException.class, e -> assertThat(e.getReasonCode())
                        .isEqualTo(MqttException.REASON_CODE_NOT_AUTHORIZED));
        assertThat(logText()).contains(reason);
    }

    private String logText() {
        List<ILoggingEvent> events = List.copyOf(logs.list);
        return events.stream().map(ILoggingEvent::getFormattedMessage).collect(Collectors.joining("\n"));
    }

    /** A URL presigned by the AWS SDK's older signer, which signs a session token into the canonical query. */
    @SuppressWarnings("deprecation")
    private String sdkPresigned(String service, AwsCredentials credentials) {
        int port = standIns.aws().brokerPort();
        SdkHttpFullRequest request = SdkHttpFullRequest.builder()
                .method(SdkHttpMethod.GET)
                .protocol("http")
                .host("127.0.0.1")
                .port(port)
                .encodedPath("/mqtt")
                .build();
        Aws4PresignerParams params = Aws4PresignerParams.builder()
                .awsCredentials(credentials)
                .signingName(service)
                .signingRegion(Region.US_EAST_1)
                .expirationTime(Instant.now().plus(Duration.ofMinutes(5)))
                .build();
        SdkHttpFullRequest signed = Aws4Signer.create().presign(request, params);
        return "ws://127.0.0.1:" + port + "/mqtt?" + signed.getUri().getRawQuery();
    }
}
