package dev.tether.local.dataplane;

import dev.tether.local.TestStandIns;
import dev.tether.local.TestStandIns.Client;
import dev.tether.local.TestStandIns.Received;
import dev.tether.sigv4.RequestSigner;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Map;

import static dev.tether.local.TestStandIns.ABSENT;
import static dev.tether.local.TestStandIns.FULL;
import static dev.tether.local.TestStandIns.NARROW;
import static org.assertj.core.api.Assertions.assertThat;

/** The data plane's {@code POST /topics/{topic}}, signed as the AWS SDK's iotdata client signs it. */
@ExtendWith(VertxExtension.class)
class PublishIT {
    private final HttpClient http = HttpClient.newHttpClient();
    private TestStandIns standIns;

    @BeforeEach
    void start(Vertx vertx) throws Exception {
        standIns = TestStandIns.start(vertx);
    }

    @Test
    @DisplayName("a signed publish reaches MQTT subscribers at the QoS asked for")
    void publishes() throws Exception {
        try (Client subscriber = standIns.connect("sub", standIns.url(FULL))) {
            subscriber.subscribe("tether/ch1/response");

            HttpResponse<String> response = post(FULL, "tether/ch1/response", "{\"type\":\"end\"}", "1");

            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(new JsonObject(response.body()).getString("message")).isEqualTo("OK");
            Received received = subscriber.next();
            assertThat(received.payload()).isEqualTo("{\"type\":\"end\"}");
            assertThat(received.qos()).isEqualTo(1);
        }
    }

    @Test
    @DisplayName("a topic the key's policy does not allow gets 403 ForbiddenException and is not delivered")
    void policyDenied() throws Exception {
        try (Client subscriber = standIns.connect("sub", standIns.url(FULL))) {
            subscriber.subscribe("forbidden/x");

            HttpResponse<String> response = post(NARROW, "forbidden/x", "{}", "1");

            assertThat(response.statusCode()).isEqualTo(403);
            assertThat(response.headers().firstValue("x-amzn-ErrorType")).hasValue("ForbiddenException");
            assertThat(subscriber.nextWithin(ABSENT)).isEmpty();
        }
    }

    @Test
    @DisplayName("a wrong signature gets 403 saying why")
    void badSignature() throws Exception {
        HttpResponse<String> response = post(AwsCredentialsIdentity.create(FULL.accessKeyId(), "wrong"), "a/b",
                "{}", "1");

        assertThat(response.statusCode()).isEqualTo(403);
        assertThat(new JsonObject(response.body()).getString("message")).contains("signature");
    }

    @Test
    @DisplayName("QoS 2 and topics with wildcards get 400 InvalidRequestException saying what is allowed")
    void badRequests() throws Exception {
        HttpResponse<String> qos2 = post(FULL, "a/b", "{}", "2");
        HttpResponse<String> wildcard = post(FULL, "a/#", "{}", "1");

        assertThat(qos2.statusCode()).isEqualTo(400);
        assertThat(new JsonObject(qos2.body()).getString("message")).contains("use 0 or 1");
        assertThat(wildcard.statusCode()).isEqualTo(400);
        assertThat(new JsonObject(wildcard.body()).getString("message")).contains("wildcard");
    }

    private HttpResponse<String> post(AwsCredentialsIdentity credentials, String topic, String body, String qos)
            throws Exception {
        String host = "127.0.0.1:" + standIns.aws().httpPort();
        String encoded = RequestSigner.encodeTopic(topic);
        byte[] payload = body.getBytes(StandardCharsets.UTF_8);
        RequestSigner signer = RequestSigner.forIotData("us-east-1", Clock.systemUTC());
        Map<String, String> headers = signer.sign(software.amazon.awssdk.http.SdkHttpRequest.builder()
                .method(software.amazon.awssdk.http.SdkHttpMethod.POST)
                .protocol("http")
                .host("127.0.0.1")
                .port(standIns.aws().httpPort())
                .encodedPath("/topics/" + encoded)
                .putRawQueryParameter("qos", qos)
                .build(), payload, credentials);
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://" + host + "/topics/" + encoded
                + "?qos=" + qos))
                .POST(HttpRequest.BodyPublishers.ofByteArray(payload));
        headers.forEach((name, value) -> {
            if (!"Host".equalsIgnoreCase(name)) {
                request.header(name, value);
            }
        });
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
