package dev.tether.sigv4;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tether.sigv4.Verification.Accepted;
import dev.tether.sigv4.Verification.Reason;
import dev.tether.sigv4.Verification.Refused;
import dev.tether.testing.MutableClock;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.signer.Aws4Signer;
import software.amazon.awssdk.auth.signer.params.Aws4PresignerParams;
import software.amazon.awssdk.http.SdkHttpFullRequest;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;
import software.amazon.awssdk.regions.Region;

/** Every refusal of {@link SigV4Verifier}, on URLs our presigner makes and requests our request signer signs. */
class SigV4VerifierTest {
    private static final String HOST = "a1b2c3d4e5f6g7-ats.iot.us-east-1.amazonaws.com";
    private static final String REGION = "us-east-1";
    private static final String KEY_ID = "ASIAEXAMPLEKEY123456";
    private static final String SECRET = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
    private static final String TOKEN = "IQoJb3JpZ2luX2VjEXAMPLE//wEaCXVz+TOKEN=";
    private static final Instant SIGNED_AT = Instant.parse("2026-03-14T15:09:26Z");
    private static final AwsSessionCredentials CREDENTIALS = AwsSessionCredentials.create(KEY_ID, SECRET, TOKEN);

    private final MutableClock clock = new MutableClock(SIGNED_AT);

    @Test
    @DisplayName("a URL our presigner made is accepted, naming its access key id and session token")
    void presignedUrl_isAccepted() {
        URI url = presign(CREDENTIALS, Optional.empty(), REGION);

        Verification verification = verify(verifier(CREDENTIALS), url);

        assertThat(verification).isEqualTo(new Accepted(KEY_ID, Optional.of(TOKEN)));
        assertThat(verification.toString()).doesNotContain(TOKEN);
    }

    @Test
    void unknownAccessKey_isRefused() {
        URI url = presign(CREDENTIALS, Optional.empty(), REGION);
        SigV4Verifier verifier = builder(id -> Optional.empty()).build();

        assertRefused(verify(verifier, url), Reason.UNKNOWN_ACCESS_KEY, KEY_ID);
    }

    @Test
    void changedSignature_isRefused_withSignatureMismatch() {
        String url = presign(CREDENTIALS, Optional.empty(), REGION).toString();
        int digit = url.indexOf("X-Amz-Signature=") + "X-Amz-Signature=".length();
        String tampered = url.substring(0, digit) + (url.charAt(digit) == 'a' ? 'b' : 'a') + url.substring(digit + 1);

        assertRefused(verify(verifier(CREDENTIALS), URI.create(tampered)), Reason.SIGNATURE_MISMATCH, KEY_ID);
    }

    @Test
    void wrongSecret_isRefused_withSignatureMismatch() {
        URI url = presign(CREDENTIALS, Optional.empty(), REGION);
        AwsSessionCredentials otherSecret = AwsSessionCredentials.create(KEY_ID, "another-secret", TOKEN);

        Verification verification = verify(verifier(otherSecret), url);

        assertRefused(verification, Reason.SIGNATURE_MISMATCH, "signature");
        assertThat(((Refused) verification).message()).doesNotContain(SECRET).doesNotContain("another-secret");
    }

    @Test
    void urlUsedAfterItsExpiry_isRefused_withExpired() {
        URI url = presign(CREDENTIALS, Optional.of(Duration.ofSeconds(300)), REGION);
        SigV4Verifier verifier = verifier(CREDENTIALS);

        clock.set(SIGNED_AT.plusSeconds(300));
        Verification lastSecond = verify(verifier, url);
        clock.set(SIGNED_AT.plusSeconds(301));
        Verification afterExpiry = verify(verifier, url);

        assertThat(lastSecond).isInstanceOf(Accepted.class);
        assertRefused(afterExpiry, Reason.EXPIRED, "X-Amz-Expires 300");
    }

    @Test
    void urlWithoutExpires_usedTooLate_isRefused_withDateSkew() {
        URI url = presign(CREDENTIALS, Optional.empty(), REGION);
        SigV4Verifier verifier = verifier(CREDENTIALS);

        clock.set(SIGNED_AT.plus(Duration.ofMinutes(5)));
        Verification atLimit = verify(verifier, url);
        clock.set(SIGNED_AT.plus(Duration.ofMinutes(5)).plusSeconds(1));
        Verification pastLimit = verify(verifier, url);

        assertThat(atLimit).isInstanceOf(Accepted.class);
        assertRefused(pastLimit, Reason.DATE_SKEW, "20260314T150926Z");
    }

    @Test
    void urlSignedInTheFuture_isRefused_withDateSkew_evenWithExpires() {
        URI url = presign(CREDENTIALS, Optional.of(Duration.ofHours(1)), REGION);

        clock.set(SIGNED_AT.minus(Duration.ofMinutes(6)));

        assertRefused(verify(verifier(CREDENTIALS), url), Reason.DATE_SKEW, "more than 300 s");
    }

    @Test
    void otherRegion_isRefused_withScopeRegion() {
        URI url = presign(CREDENTIALS, Optional.empty(), "eu-west-1");

        assertRefused(verify(verifier(CREDENTIALS), url), Reason.SCOPE_REGION, "eu-west-1");
    }

    @Test
    void otherService_isRefused_withScopeService() {
        URI url = presign(CREDENTIALS, Optional.empty(), REGION);
        SigV4Verifier dataPlane = builder(lookup(CREDENTIALS)).service("iotdata").build();

        assertRefused(verify(dataPlane, url), Reason.SCOPE_SERVICE, "iotdevicegateway");
    }

    @Test
    void scopeDateOtherThanAmzDate_isRefused_withScopeDate() {
        String url = presign(CREDENTIALS, Optional.empty(), REGION).toString();
        String otherDay = url.replace("%2F20260314%2F", "%2F20260313%2F");

        assertRefused(verify(verifier(CREDENTIALS), URI.create(otherDay)), Reason.SCOPE_DATE, "20260313");
    }

    @Test
    void differentSessionToken_isRefused_withTokenMismatch() {
        URI url = presign(AwsSessionCredentials.create(KEY_ID, SECRET, "a-stale-token"), Optional.empty(), REGION);

        Verification verification = verify(verifier(CREDENTIALS), url);

        assertRefused(verification, Reason.TOKEN_MISMATCH, "not the session token issued");
        assertThat(((Refused) verification).message()).doesNotContain(TOKEN).doesNotContain("a-stale-token");
    }

    @Test
    void missingSessionToken_isRefused_withTokenMismatch() {
        URI url = presign(AwsBasicCredentials.create(KEY_ID, SECRET), Optional.empty(), REGION);

        assertRefused(verify(verifier(CREDENTIALS), url), Reason.TOKEN_MISMATCH, "the request has none");
    }

    @Test
    void unexpectedSessionToken_isRefused_withTokenMismatch() {
        URI url = presign(CREDENTIALS, Optional.empty(), REGION);

        assertRefused(verify(verifier(AwsBasicCredentials.create(KEY_ID, SECRET)), url), Reason.TOKEN_MISMATCH,
                "has no session token");
    }

    @Test
    @SuppressWarnings("deprecation")
    @DisplayName("a URL with its session token inside the canonical query is refused as AWS IoT Core does, and"
            + " accepted when signed tokens are allowed")
    void tokenInsideCanonicalQuery_isRefused_withTokenSigned() {
        // The deprecated SDK presigner signs the token into the canonical query, as SigV4 does for most services.
        SdkHttpFullRequest request = SdkHttpFullRequest.builder()
                .method(SdkHttpMethod.GET)
                .protocol("https")
                .host(HOST)
                .encodedPath("/mqtt")
                .build();
        SdkHttpFullRequest signed = Aws4Signer.create().presign(request, Aws4PresignerParams.builder()
                .awsCredentials(CREDENTIALS)
                .signingName(MqttUrlPresigner.SERVICE)
                .signingRegion(Region.US_EAST_1)
                .signingClockOverride(Clock.fixed(SIGNED_AT, ZoneOffset.UTC))
                .expirationTime(SIGNED_AT.plusSeconds(300))
                .build());
        URI url = signed.getUri();

        Verification iot = verify(verifier(CREDENTIALS), url);
        Verification lenient = verify(builder(lookup(CREDENTIALS)).allowSignedSessionToken(true).build(), url);

        assertRefused(iot, Reason.TOKEN_SIGNED, "appended after signing");
        assertThat(lenient).isEqualTo(new Accepted(KEY_ID, Optional.of(TOKEN)));
    }

    @Test
    @DisplayName("a missing required parameter is refused as malformed, naming it")
    void missingSignature_isRefused_asMalformed() {
        String url = presign(CREDENTIALS, Optional.empty(), REGION).toString();
        String withoutSignature = url.replaceAll("&X-Amz-Signature=[0-9a-f]{64}", "");

        assertRefused(verify(verifier(CREDENTIALS), URI.create(withoutSignature)), Reason.MALFORMED,
                "X-Amz-Signature is missing");
    }

    @Test
    void duplicateParameter_isRefused_asMalformed() {
        String url = presign(CREDENTIALS, Optional.empty(), REGION).toString();

        assertRefused(verify(verifier(CREDENTIALS), URI.create(url + "&X-Amz-Date=20260314T150926Z")),
                Reason.MALFORMED, "X-Amz-Date appears more than once");
    }

    @Test
    void unparseableDate_isRefused_asMalformed() {
        String url = presign(CREDENTIALS, Optional.empty(), REGION).toString()
                .replace("X-Amz-Date=20260314T150926Z", "X-Amz-Date=20261399T250000Z");

        assertRefused(verify(verifier(CREDENTIALS), URI.create(url)), Reason.MALFORMED, "X-Amz-Date");
    }

    @Test
    void expiresOutOfRange_isRefused_asMalformed() {
        String url = presign(CREDENTIALS, Optional.of(Duration.ofSeconds(300)), REGION).toString()
                .replace("X-Amz-Expires=300", "X-Amz-Expires=604801");

        assertRefused(verify(verifier(CREDENTIALS), URI.create(url)), Reason.MALFORMED, "1 to 604800");
    }

    @Test
    void missingHost_isRefused_asMalformed() {
        URI url = presign(CREDENTIALS, Optional.empty(), REGION);

        assertRefused(verifier(CREDENTIALS).verifyPresignedUrl(url.getRawPath(), url.getRawQuery(), null),
                Reason.MALFORMED, "signed header 'host'");
    }

    static Stream<Arguments> hostileQueries() {
        String url = presign(new MutableClock(SIGNED_AT), CREDENTIALS, Optional.empty(), REGION).getRawQuery();
        return Stream.of(
                Arguments.of("empty query", "", "X-Amz-Algorithm is missing"),
                Arguments.of("null query", null, "X-Amz-Algorithm is missing"),
                Arguments.of("garbage", "%%%&&&===;;;\u0000", "'%' that is not followed by two hex digits"),
                Arguments.of("bad percent-escape", url + "&x=%G1", "'%' that is not followed"),
                Arguments.of("invalid UTF-8", url + "&x=%C3%28", "does not decode to UTF-8"),
                Arguments.of("non-ASCII algorithm", url.replace("AWS4-HMAC-SHA256", "AWS4-HMAC-SHA256\u00e9"),
                        "only AWS4-HMAC-SHA256 is accepted"),
                Arguments.of("huge value", url + "&pad=" + "A".repeat(20_000), "at most 16384"),
                Arguments.of("huge credential", url.replaceFirst("X-Amz-Credential=[^&]*",
                        "X-Amz-Credential=" + "B".repeat(10_000)), "(10000 characters)"),
                Arguments.of("upper-case signature", url.replaceFirst("X-Amz-Signature=[0-9a-f]{64}",
                        "X-Amz-Signature=" + "A".repeat(64)), "64 lower-case hex digits"),
                Arguments.of("unsorted signed headers", url.replace("X-Amz-SignedHeaders=host",
                        "X-Amz-SignedHeaders=host%3Bfoo%3Ba"), "sorted"),
                Arguments.of("credential with too few parts", url.replaceFirst("X-Amz-Credential=[^&]*",
                        "X-Amz-Credential=AKID%2F20260314"), "X-Amz-Credential must be"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("hostileQueries")
    @DisplayName("hostile queries are refused as malformed, with no exception")
    void hostileQuery_isRefused_asMalformed(String description, String rawQuery, String expectedMessage) {
        Verification verification = verifier(CREDENTIALS).verifyPresignedUrl("/mqtt", rawQuery, HOST);

        assertRefused(verification, Reason.MALFORMED, expectedMessage);
    }

    @Test
    void hugePath_isRefused_asMalformed() {
        URI url = presign(CREDENTIALS, Optional.empty(), REGION);

        assertRefused(verifier(CREDENTIALS).verifyPresignedUrl("/" + "m".repeat(9_000), url.getRawQuery(), HOST),
                Reason.MALFORMED, "at most 8192");
    }

    @Test
    @DisplayName("a header-signed data-plane publish from RequestSigner is accepted")
    void headerSignedPublish_isAccepted() {
        byte[] body = "{\"channelId\":\"abc\"}".getBytes(StandardCharsets.UTF_8);
        List<Map.Entry<String, String>> headers = signedPublish(body);

        Verification verification = dataPlaneVerifier().verifyHeaderSigned("POST", "/topics/tether%2Fsession",
                "qos=1", headers, body);

        assertThat(verification).isEqualTo(new Accepted(KEY_ID, Optional.of(TOKEN)));
    }

    @Test
    void headerSignedPublish_withChangedBody_isRefused_withSignatureMismatch() {
        List<Map.Entry<String, String>> headers = signedPublish("{\"a\":1}".getBytes(StandardCharsets.UTF_8));

        Verification verification = dataPlaneVerifier().verifyHeaderSigned("POST", "/topics/tether%2Fsession",
                "qos=1", headers, "{\"a\":2}".getBytes(StandardCharsets.UTF_8));

        assertRefused(verification, Reason.SIGNATURE_MISMATCH, "x-amz-content-sha256");
    }

    @Test
    void headerSignedPublish_toAnotherTopic_isRefused_withSignatureMismatch() {
        byte[] body = "{}".getBytes(StandardCharsets.UTF_8);
        List<Map.Entry<String, String>> headers = signedPublish(body);

        Verification verification = dataPlaneVerifier().verifyHeaderSigned("POST", "/topics/tether%2Fother",
                "qos=1", headers, body);

        assertRefused(verification, Reason.SIGNATURE_MISMATCH, "signature");
    }

    @Test
    void headerSignedPublish_tooOld_isRefused_withDateSkew() {
        byte[] body = "{}".getBytes(StandardCharsets.UTF_8);
        List<Map.Entry<String, String>> headers = signedPublish(body);
        clock.advance(Duration.ofMinutes(6));

        Verification verification = dataPlaneVerifier().verifyHeaderSigned("POST", "/topics/tether%2Fsession",
                "qos=1", headers, body);

        assertRefused(verification, Reason.DATE_SKEW, "more than 300 s");
    }

    @Test
    void headerSignedRequest_withoutAuthorization_isRefused_asMalformed() {
        byte[] body = new byte[0];
        List<Map.Entry<String, String>> headers = new ArrayList<>(signedPublish(body));
        headers.removeIf(h -> h.getKey().equalsIgnoreCase("Authorization"));

        assertRefused(dataPlaneVerifier().verifyHeaderSigned("POST", "/topics/t", "qos=1", headers, body),
                Reason.MALFORMED, "header authorization is missing");
    }

    @Test
    void headerSignedRequest_withGarbageAuthorization_isRefused_asMalformed() {
        List<Map.Entry<String, String>> headers = List.of(Map.entry("Host", HOST),
                Map.entry("X-Amz-Date", "20260314T150926Z"),
                Map.entry("Authorization", "AWS4-HMAC-SHA256 Credential=a, Credential=b, Signature=c"));

        assertRefused(dataPlaneVerifier().verifyHeaderSigned("POST", "/topics/t", null, headers, new byte[0]),
                Reason.MALFORMED, "Credential more than once");
    }

    @Test
    void builder_refusesSkewOverOneHour() {
        assertThatThrownBy(() -> builder(lookup(CREDENTIALS)).maxDateSkew(Duration.ofHours(2)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("0 to 1 hour");
    }

    private List<Map.Entry<String, String>> signedPublish(byte[] body) {
        Map<String, String> added = RequestSigner.forIotData(REGION, clock)
                .signPublish(HOST, RequestSigner.encodeTopic("tether/session"), body, CREDENTIALS);
        List<Map.Entry<String, String>> headers = new ArrayList<>();
        headers.add(Map.entry("Host", HOST));
        headers.add(Map.entry("Content-Type", "application/json"));
        headers.addAll(added.entrySet());
        return headers;
    }

    private SigV4Verifier dataPlaneVerifier() {
        return builder(lookup(CREDENTIALS)).service(RequestSigner.IOT_DATA_SERVICE).build();
    }

    private URI presign(AwsCredentialsIdentity credentials, Optional<Duration> expires, String region) {
        return presign(new MutableClock(SIGNED_AT), credentials, expires, region);
    }

    private static URI presign(Clock signingClock, AwsCredentialsIdentity credentials, Optional<Duration> expires,
            String region) {
        MqttUrlPresigner.Builder builder = MqttUrlPresigner.builder()
                .host(HOST)
                .region(region)
                .clock(signingClock);
        expires.ifPresent(builder::expires);
        return URI.create(builder.build().presign(credentials));
    }

    private SigV4Verifier verifier(AwsCredentialsIdentity known) {
        return builder(lookup(known)).build();
    }

    private SigV4Verifier.Builder builder(Function<String,
            Optional<AwsCredentialsIdentity>> lookup) {
        return SigV4Verifier.builder()
                .credentials(lookup)
                .region(REGION)
                .service(MqttUrlPresigner.SERVICE)
                .clock(clock);
    }

    private static Function<String, Optional<AwsCredentialsIdentity>> lookup(
            AwsCredentialsIdentity known) {
        return id -> id.equals(known.accessKeyId()) ? Optional.of(known) : Optional.empty();
    }

    private static Verification verify(SigV4Verifier verifier, URI url) {
        return verifier.verifyPresignedUrl(url.getRawPath(), url.getRawQuery(), url.getRawAuthority());
    }

    private static void assertRefused(Verification verification, Reason reason, String messagePart) {
        assertThat(verification).isInstanceOfSatisfying(Refused.class, refused -> {
            assertThat(refused.reason()).isEqualTo(reason);
            assertThat(refused.message()).contains(messagePart).doesNotContain(SECRET).doesNotContain(TOKEN);
        });
    }
}
