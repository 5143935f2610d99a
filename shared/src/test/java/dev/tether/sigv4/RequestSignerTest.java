package dev.tether.sigv4;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tether.testing.MutableClock;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;

class RequestSignerTest {
    private static final String HOST = "a1b2c3d4e5f6g7-ats.iot.us-east-1.amazonaws.com";
    private static final byte[] BODY = "{}".getBytes(StandardCharsets.UTF_8);

    private final RequestSigner signer = RequestSigner.forIotData("us-east-1",
            new MutableClock(Instant.parse("2026-03-14T15:09:26Z")));

    @Test
    void publish_withSessionCredentials_addsAuthorizationDateAndToken_immutably() {
        Map<String, String> headers = signer.signPublish(HOST, "tether%2Fsession", BODY,
                AwsSessionCredentials.create("AKIDEXAMPLE", "secret", "the-token"));

        assertThat(headers).containsEntry("X-Amz-Date", "20260314T150926Z")
                .containsEntry("X-Amz-Security-Token", "the-token")
                .containsKey("x-amz-content-sha256");
        assertThat(headers.get("Authorization"))
                .startsWith("AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20260314/us-east-1/iotdata/aws4_request, ");
        assertThatThrownBy(() -> headers.put("X", "y")).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void publish_withoutToken_addsNoTokenHeader() {
        Map<String, String> headers = signer.signPublish(HOST, "t", BODY,
                AwsBasicCredentials.create("AKIDEXAMPLE", "secret"));

        assertThat(headers).doesNotContainKey("X-Amz-Security-Token").containsKey("Authorization");
    }

    @ParameterizedTest
    @ValueSource(strings = {"tether/session", "a b", "caf\u00e9", "50%"})
    void topicNotPercentEncoded_isRefused(String topic) {
        assertThatThrownBy(() -> signer.signPublish(HOST, topic, BODY, AwsBasicCredentials.create("A", "s")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("is not percent-encoded")
                .hasMessageContaining("RequestSigner.encodeTopic");
    }

    @Test
    void emptyTopic_isRefused() {
        assertThatThrownBy(() -> signer.signPublish(HOST, "", BODY, AwsBasicCredentials.create("A", "s")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("topic is empty");
    }

    @Test
    void invalidHost_isRefused() {
        assertThatThrownBy(() -> signer.signPublish("https://" + HOST, "t", BODY,
                AwsBasicCredentials.create("A", "s")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("host 'https://" + HOST + "' is not allowed");
    }

    @Test
    void invalidRegionOrService_isRefused() {
        assertThatThrownBy(() -> RequestSigner.forIotData("Not A Region", Clock.systemUTC()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("region 'Not A Region' is not valid");
        assertThatThrownBy(() -> new RequestSigner("us-east-1", "Bad Service", Clock.systemUTC()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("service 'Bad Service' is not valid");
    }

    @Test
    void encodeTopic_encodesSlashesAndNonAscii() {
        assertThat(RequestSigner.encodeTopic("tether/ch 1/caf\u00e9")).isEqualTo("tether%2Fch%201%2Fcaf%C3%A9");
    }
}
