package dev.tether.sigv4;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tether.sigv4.Verification.Accepted;
import dev.tether.testing.MutableClock;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;

class MqttUrlPresignerTest {
    private static final String HOST = "a1b2c3d4e5f6g7-ats.iot.us-east-1.amazonaws.com";
    private static final AwsSessionCredentials CREDENTIALS = AwsSessionCredentials.create("AKIDEXAMPLE",
            "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", "token/with+chars=");

    static Stream<Arguments> refusedHosts() {
        return Stream.of(
                Arguments.of("", "host is empty"),
                Arguments.of("wss://" + HOST, "no scheme, path or user info"),
                Arguments.of(HOST + "/mqtt", "no scheme, path or user info"),
                Arguments.of(HOST + ":0", "port is a number from 1 to 65535"),
                Arguments.of(HOST + ":65536", "port is a number from 1 to 65535"),
                Arguments.of(HOST + ":http", "port is a number from 1 to 65535"),
                Arguments.of("bad..host", "no empty labels"),
                Arguments.of("[::1", "closed by ']'"));
    }

    @ParameterizedTest(name = "host \"{0}\"")
    @MethodSource("refusedHosts")
    void invalidHost_isRefused_namingItAndTheRule(String host, String rule) {
        assertThatThrownBy(() -> MqttUrlPresigner.builder().host(host))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(rule);
    }

    @Test
    void nullHost_isRefused() {
        assertThatThrownBy(() -> MqttUrlPresigner.builder().host(null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("host is empty");
    }

    @ParameterizedTest
    @ValueSource(strings = {"127.0.0.1:9001", "localhost", "[::1]:9001", HOST + ":443"})
    void validHost_isAccepted(String host) {
        assertThat(MqttUrlPresigner.builder().host(host).region("us-east-1").build()).isNotNull();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "US-EAST-1", "us east 1", "1us"})
    void invalidRegion_isRefused(String region) {
        assertThatThrownBy(() -> MqttUrlPresigner.builder().region(region))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("region '" + region + "' is not valid")
                .hasMessageContaining("e.g. us-east-1");
    }

    @ParameterizedTest
    @ValueSource(longs = {0, -1, 604_801})
    void expiresOutOfRange_isRefused(long seconds) {
        assertThatThrownBy(() -> MqttUrlPresigner.builder().expires(Duration.ofSeconds(seconds)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("from 1 to 604800");
    }

    @Test
    void expiresWithFractionOfSecond_isRefused() {
        assertThatThrownBy(() -> MqttUrlPresigner.builder().expires(Duration.ofMillis(1500)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("whole seconds");
    }

    @Test
    void expiresAtBothLimits_isAccepted() {
        assertThat(MqttUrlPresigner.builder().expires(Duration.ofSeconds(1))).isNotNull();
        assertThat(MqttUrlPresigner.builder().expires(MqttUrlPresigner.MAX_EXPIRES)).isNotNull();
    }

    @ParameterizedTest
    @ValueSource(strings = {"https", "http", "mqtt", ""})
    void schemeOtherThanWsOrWss_isRefused(String scheme) {
        assertThatThrownBy(() -> MqttUrlPresigner.builder().scheme(scheme))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("use wss, or ws");
    }

    @ParameterizedTest
    @ValueSource(strings = {"mqtt", "/mq tt", "/mqtt?x=1"})
    void pathNotStartingWithSlashOrNeedingEncoding_isRefused(String path) {
        assertThatThrownBy(() -> MqttUrlPresigner.builder().path(path))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("path '" + path + "'");
    }

    @Test
    void missingHostOrRegion_isRefused_atBuild() {
        assertThatThrownBy(() -> MqttUrlPresigner.builder().region("us-east-1").build())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("host is required");
        assertThatThrownBy(() -> MqttUrlPresigner.builder().host(HOST).build())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("region is required");
    }

    @Test
    void accessKeyIdWithSlash_isRefused_withoutTheSecret() {
        MqttUrlPresigner presigner = presigner(new MutableClock(Instant.now()));

        assertThatThrownBy(() -> presigner.presign(AwsBasicCredentials.create("AKID/X", "the-secret")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'AKID/X' may hold only letters and digits")
                .hasMessageNotContaining("the-secret");
    }

    @Test
    void emptySessionToken_isRefused() {
        MqttUrlPresigner presigner = presigner(new MutableClock(Instant.now()));

        assertThatThrownBy(() -> presigner.presign(AwsSessionCredentials.create("AKID", "secret", "")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("session token of access key id AKID is empty");
    }

    @Test
    @DisplayName("the session token is appended last, after the signature, encoded like encodeURIComponent")
    void sessionToken_isAppendedAfterSignature() {
        String url = presigner(new MutableClock(Instant.parse("2026-01-02T03:04:05Z"))).presign(CREDENTIALS);

        assertThat(url).startsWith("wss://" + HOST + "/mqtt?X-Amz-Algorithm=AWS4-HMAC-SHA256&");
        assertThat(url).matches(".*&X-Amz-Signature=[0-9a-f]{64}&X-Amz-Security-Token=token%2Fwith%2Bchars%3D$");
        assertThat(url).doesNotContain("X-Amz-Expires");
    }

    @Test
    @DisplayName("the cached signing key gives the same URL as a key derived afresh every time")
    void cachedSigningKey_givesSameUrlAsUncachedDerivation() {
        MutableClock clock = new MutableClock(Instant.parse("2026-05-06T07:08:09Z"));
        MqttUrlPresigner cached = presigner(clock);
        MqttUrlPresigner uncached = MqttUrlPresigner.builder().host(HOST).region("us-east-1").clock(clock)
                .keyCacheCapacity(0).build();
        AwsBasicCredentials other = AwsBasicCredentials.create("AKIDOTHER", "another-secret");

        String first = cached.presign(CREDENTIALS);
        cached.presign(other);
        String afterOtherKey = cached.presign(CREDENTIALS);
        String fresh = uncached.presign(CREDENTIALS);

        assertThat(first).isEqualTo(fresh);
        assertThat(afterOtherKey).isEqualTo(fresh);
        assertThat(cached.presign(other)).isEqualTo(uncached.presign(other)).isNotEqualTo(fresh);
    }

    @Test
    @DisplayName("a clock crossing midnight UTC moves the credential scope to the new date, and the URL verifies")
    void clockCrossingMidnight_usesNewDateScope() {
        MutableClock clock = new MutableClock(Instant.parse("2026-12-31T23:59:59.900Z"));
        MqttUrlPresigner presigner = presigner(clock);
        SigV4Verifier verifier = SigV4Verifier.builder()
                .credentials(id -> Optional.of(CREDENTIALS))
                .region("us-east-1")
                .service(MqttUrlPresigner.SERVICE)
                .clock(clock)
                .build();

        String beforeMidnight = presigner.presign(CREDENTIALS);
        clock.advance(Duration.ofMillis(200));
        String afterMidnight = presigner.presign(CREDENTIALS);

        assertThat(beforeMidnight).contains("X-Amz-Credential=AKIDEXAMPLE%2F20261231%2Fus-east-1%2F")
                .contains("X-Amz-Date=20261231T235959Z");
        assertThat(afterMidnight).contains("X-Amz-Credential=AKIDEXAMPLE%2F20270101%2Fus-east-1%2F")
                .contains("X-Amz-Date=20270101T000000Z");
        URI url = URI.create(afterMidnight);
        assertThat(verifier.verifyPresignedUrl(url.getRawPath(), url.getRawQuery(), url.getRawAuthority()))
                .isInstanceOf(Accepted.class);
    }

    @Test
    @DisplayName("threads presigning with different keys at once each get the URL a fresh derivation gives")
    void concurrentPresigns_withDifferentKeys_allMatchUncachedDerivation() throws Exception {
        MutableClock clock = new MutableClock(Instant.parse("2026-05-06T07:08:09Z"));
        MqttUrlPresigner shared = presigner(clock);
        MqttUrlPresigner uncached = MqttUrlPresigner.builder().host(HOST).region("us-east-1").clock(clock)
                .keyCacheCapacity(0).build();
        List<AwsBasicCredentials> keys = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            keys.add(AwsBasicCredentials.create("AKID" + i, "secret-" + i));
        }
        ExecutorService threads = Executors.newFixedThreadPool(4);
        try {
            List<Future<Boolean>> results = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                int offset = t;
                results.add(threads.submit(() -> {
                    boolean allMatch = true;
                    for (int i = 0; i < 2_000; i++) {
                        AwsBasicCredentials key = keys.get((i + offset) % keys.size());
                        allMatch &= shared.presign(key).equals(uncached.presign(key));
                    }
                    return allMatch;
                }));
            }
            for (Future<Boolean> result : results) {
                assertThat(result.get(30, TimeUnit.SECONDS)).isTrue();
            }
        } finally {
            threads.shutdownNow();
        }
    }

    @Test
    void upperCaseHost_isSignedLowerCased_asBrowsersSendIt() {
        MutableClock clock = new MutableClock(Instant.parse("2026-01-02T03:04:05Z"));
        String upper = MqttUrlPresigner.builder().host(HOST.toUpperCase()).region("us-east-1").clock(clock).build()
                .presign(CREDENTIALS);

        assertThat(upper).isEqualTo(presigner(clock).presign(CREDENTIALS));
    }

    private static MqttUrlPresigner presigner(MutableClock clock) {
        return MqttUrlPresigner.builder().host(HOST).region("us-east-1").clock(clock).build();
    }
}
