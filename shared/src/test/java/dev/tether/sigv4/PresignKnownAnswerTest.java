package dev.tether.sigv4;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tether.sigv4.Verification.Accepted;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.signer.Aws4Signer;
import software.amazon.awssdk.auth.signer.params.Aws4PresignerParams;
import software.amazon.awssdk.http.SdkHttpFullRequest;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;
import software.amazon.awssdk.regions.Region;

/**
 * The presigner against the known answers of the original pattern's presigner (testdata/presign/cases.jsonl),
 * and against the deprecated SDK {@code Aws4Signer.presign}, an independent implementation.
 */
class PresignKnownAnswerTest {
    private static final Duration SDK_EXPIRES_WHEN_CASE_HAS_NONE = Duration.ofSeconds(300);

    private static final String CASES = "presign";

    /** The known answers; without the test data, one null answer, so each test reports itself skipped. */
    static Stream<KnownAnswer> knownAnswers() throws IOException {
        if (!TestData.exists(CASES)) {
            return Stream.of((KnownAnswer) null);
        }
        return Files.readAllLines(TestData.folder(CASES).resolve("cases.jsonl")).stream()
                .filter(line -> !line.isBlank())
                .map(line -> new KnownAnswer(new JsonObject(line)))
                .toList()
                .stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("knownAnswers")
    @DisplayName("our URL has the known signature, parameters, scheme, host and path, and our verifier accepts it")
    void presignedUrl_matchesKnownAnswer_andIsAccepted(KnownAnswer answer) {
        TestData.folder(CASES);
        MqttUrlPresigner presigner = answer.presigner(answer.expires());

        String url = presigner.presign(answer.credentials());

        URI ours = URI.create(url);
        URI known = URI.create(answer.json.getString("url"));
        assertThat(ours.getScheme()).isEqualTo(known.getScheme());
        assertThat(ours.getRawAuthority()).isEqualTo(known.getRawAuthority());
        assertThat(ours.getRawPath()).isEqualTo(known.getRawPath());
        assertThat(parameters(ours)).isEqualTo(parameters(known));
        assertThat(parameter(ours, "X-Amz-Signature")).isEqualTo(answer.json.getString("signature"));

        SigV4Verifier verifier = SigV4Verifier.builder()
                .credentials(id -> id.equals(answer.input().getString("access_key_id"))
                        ? Optional.of(answer.credentials()) : Optional.empty())
                .region(answer.input().getString("region"))
                .service(MqttUrlPresigner.SERVICE)
                .clock(answer.clock())
                .build();
        Verification verification = verifier.verifyPresignedUrl(ours.getRawPath(), ours.getRawQuery(),
                ours.getRawAuthority());
        assertThat(verification).isInstanceOf(Accepted.class);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("knownAnswers")
    @DisplayName("with X-Amz-Expires, our signature equals the deprecated SDK Aws4Signer.presign's")
    @SuppressWarnings("deprecation")
    void presignedUrl_withExpires_matchesSdkAws4Signer(KnownAnswer answer) {
        TestData.folder(CASES);
        Duration expires = answer.expires().orElse(SDK_EXPIRES_WHEN_CASE_HAS_NONE);
        JsonObject input = answer.input();
        String[] hostAndPort = input.getString("host").split(":");
        SdkHttpFullRequest.Builder request = SdkHttpFullRequest.builder()
                .method(SdkHttpMethod.GET)
                .protocol("ws".equals(input.getString("scheme")) ? "http" : "https")
                .host(hostAndPort[0])
                .encodedPath(input.getString("path"));
        if (hostAndPort.length == 2) {
            request.port(Integer.parseInt(hostAndPort[1]));
        }
        // Aws4Signer would sign a session token into the canonical query; the token does not change our
        // signature (it is appended after signing), so both sides sign with the key alone.
        AwsBasicCredentials keyOnly = AwsBasicCredentials.create(input.getString("access_key_id"),
                input.getString("secret_access_key"));
        Aws4PresignerParams params = Aws4PresignerParams.builder()
                .awsCredentials(keyOnly)
                .signingName(MqttUrlPresigner.SERVICE)
                .signingRegion(Region.of(input.getString("region")))
                .signingClockOverride(answer.clock())
                .expirationTime(answer.signedAt().plus(expires))
                .build();

        SdkHttpFullRequest sdkSigned = Aws4Signer.create().presign(request.build(), params);
        String ours = answer.presigner(Optional.of(expires)).presign(keyOnly);

        assertThat(sdkSigned.rawQueryParameters().get("X-Amz-Expires")).containsExactly(
                Long.toString(expires.getSeconds()));
        assertThat(parameter(URI.create(ours), "X-Amz-Signature"))
                .isEqualTo(sdkSigned.rawQueryParameters().get("X-Amz-Signature").get(0));
    }

    private static Set<String> parameters(URI uri) {
        return new HashSet<>(Arrays.asList(uri.getRawQuery().split("&")));
    }

    private static String parameter(URI uri, String name) {
        return parameters(uri).stream()
                .filter(p -> p.startsWith(name + "="))
                .map(p -> p.substring(name.length() + 1))
                .findFirst()
                .orElseThrow();
    }

    /** One line of cases.jsonl. */
    static final class KnownAnswer {
        final JsonObject json;

        KnownAnswer(JsonObject json) {
            this.json = json;
        }

        JsonObject input() {
            return json.getJsonObject("input");
        }

        Instant signedAt() {
            String date = input().getString("date");
            return Instant.parse(date.substring(0, 4) + "-" + date.substring(4, 6) + "-" + date.substring(6, 11)
                    + ":" + date.substring(11, 13) + ":" + date.substring(13));
        }

        Clock clock() {
            return Clock.fixed(signedAt(), ZoneOffset.UTC);
        }

        Optional<Duration> expires() {
            Long seconds = input().getLong("expires_seconds");
            return Optional.ofNullable(seconds).map(Duration::ofSeconds);
        }

        AwsCredentialsIdentity credentials() {
            String token = input().getString("session_token");
            return token.isEmpty()
                    ? AwsBasicCredentials.create(input().getString("access_key_id"),
                            input().getString("secret_access_key"))
                    : AwsSessionCredentials.create(input().getString("access_key_id"),
                            input().getString("secret_access_key"), token);
        }

        MqttUrlPresigner presigner(Optional<Duration> expires) {
            MqttUrlPresigner.Builder builder = MqttUrlPresigner.builder()
                    .scheme(input().getString("scheme"))
                    .host(input().getString("host"))
                    .path(input().getString("path"))
                    .region(input().getString("region"))
                    .clock(clock());
            expires.ifPresent(builder::expires);
            return builder.build();
        }

        @Override
        public String toString() {
            return json.getString("name");
        }
    }
}
