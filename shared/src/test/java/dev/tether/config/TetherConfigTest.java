package dev.tether.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;
import software.amazon.awssdk.regions.Region;

class TetherConfigTest {
    private static final String SECRET = "test-channel-secret-0123456789-abcdefghij";
    private static final String HOST = "abc123-ats.iot.us-east-1.amazonaws.com";

    private static Map<String, String> minimal() {
        Map<String, String> env = new HashMap<>();
        env.put("AWS_IOT_HOST", HOST);
        env.put("AWS_REGION", "us-east-1");
        env.put("TETHER_CHANNEL_SECRET", SECRET);
        return env;
    }

    private static Map<String, String> minimalWith(String variable, String value) {
        Map<String, String> env = minimal();
        env.put(variable, value);
        return env;
    }

    private static ConfigInvalid refusal(Map<String, String> env) {
        try {
            TetherConfig.fromEnvironment(env);
        } catch (ConfigInvalid e) {
            return e;
        }
        throw new AssertionError("expected ConfigInvalid for " + env.keySet());
    }

    private static List<ConfigVariable> variablesAtFault(ConfigInvalid e) {
        return e.problems().stream().map(ConfigProblem::variable).toList();
    }

    @Test
    @DisplayName("With only the required variables, every other setting takes its documented default")
    void requiredVariablesOnly_giveTheDefaults() {
        TetherConfig config = TetherConfig.fromEnvironment(minimal());

        assertThat(config.iotHost()).contains(HOST);
        assertThat(config.region()).isEqualTo(Region.US_EAST_1);
        assertThat(config.endpointOverride()).isEmpty();
        assertThat(config.topics().prefix()).isEqualTo("tether");
        assertThat(config.idleTimeout()).isEqualTo(Duration.ofSeconds(30));
        assertThat(config.channelSecret().lengthBytes()).isEqualTo(SECRET.length());
        assertThat(config.channelTimeToLive()).isEqualTo(Duration.ofSeconds(300));
        assertThat(config.presignedUrlExpiry()).isEqualTo(Duration.ofSeconds(300));
        assertThat(config.clientRoleArn()).isEmpty();
        assertThat(config.allowedOrigins()).isEmpty();
        assertThat(config.allowsAnyOrigin()).isFalse();
        assertThat(config.httpPort()).isEqualTo(8080);
    }

    @Test
    @DisplayName("The defaults the enum documents are the ones applied")
    void documentedDefaults_matchTheAppliedOnes() {
        TetherConfig config = TetherConfig.fromEnvironment(minimal());

        assertThat(ConfigVariable.TETHER_TOPIC_PREFIX.defaultValue()).contains(config.topics().prefix());
        assertThat(ConfigVariable.TETHER_IDLE_TIMEOUT_SECONDS.defaultValue())
                .contains(String.valueOf(config.idleTimeout().toSeconds()));
        assertThat(ConfigVariable.TETHER_CHANNEL_TTL_SECONDS.defaultValue())
                .contains(String.valueOf(config.channelTimeToLive().toSeconds()));
        assertThat(ConfigVariable.TETHER_URL_EXPIRES_SECONDS.defaultValue())
                .contains(String.valueOf(config.presignedUrlExpiry().toSeconds()));
        assertThat(ConfigVariable.TETHER_HTTP_PORT.defaultValue()).contains(String.valueOf(config.httpPort()));
        assertThat(ConfigVariable.TETHER_ALLOWED_ORIGINS.defaultValue()).contains("");
        assertThat(ConfigVariable.AWS_REGION.defaultValue()).isEmpty();
        assertThat(ConfigVariable.TETHER_CHANNEL_SECRET.defaultValue()).isEmpty();
    }

    @Test
    void everyVariable_isRead() {
        Map<String, String> env = minimal();
        env.put("TETHER_ENDPOINT", "ws://127.0.0.1:9001/mqtt");
        env.put("TETHER_TOPIC_PREFIX", "acme/tether");
        env.put("TETHER_IDLE_TIMEOUT_SECONDS", "45");
        env.put("TETHER_CHANNEL_TTL_SECONDS", "120");
        env.put("TETHER_URL_EXPIRES_SECONDS", "60");
        env.put("TETHER_CLIENT_ROLE_ARN", "arn:aws:iam::123456789012:role/tether-client");
        env.put("TETHER_ALLOWED_ORIGINS", "https://app.example.com, http://localhost:3000");
        env.put("TETHER_HTTP_PORT", "0");

        TetherConfig config = TetherConfig.fromEnvironment(env);

        assertThat(config.endpointOverride()).contains(URI.create("ws://127.0.0.1:9001/mqtt"));
        assertThat(config.topics().session()).isEqualTo("acme/tether/session");
        assertThat(config.idleTimeout()).isEqualTo(Duration.ofSeconds(45));
        assertThat(config.channelTimeToLive()).isEqualTo(Duration.ofMinutes(2));
        assertThat(config.presignedUrlExpiry()).isEqualTo(Duration.ofMinutes(1));
        assertThat(config.clientRoleArn()).contains("arn:aws:iam::123456789012:role/tether-client");
        assertThat(config.allowedOrigins()).containsExactly("https://app.example.com", "http://localhost:3000");
        assertThat(config.httpPort()).isZero();
    }

    @Test
    void emptyValue_countsAsNotSet() {
        TetherConfig config = TetherConfig.fromEnvironment(minimalWith("TETHER_IDLE_TIMEOUT_SECONDS", ""));

        assertThat(config.idleTimeout()).isEqualTo(Duration.ofSeconds(30));
    }

    @Test
    @DisplayName("An endpoint override replaces AWS_IOT_HOST, and its default port is made explicit")
    void endpointOverride_makesTheIotHostOptional() {
        Map<String, String> env = minimal();
        env.remove("AWS_IOT_HOST");
        env.put("TETHER_ENDPOINT", "wss://broker.example.com/mqtt");

        TetherConfig config = TetherConfig.fromEnvironment(env);

        assertThat(config.iotHost()).isEmpty();
        assertThat(config.endpointOverride()).contains(URI.create("wss://broker.example.com:443/mqtt"));
    }

    @Test
    @DisplayName("An empty environment names every required variable in one exception")
    void emptyEnvironment_reportsEveryRequiredVariable() {
        ConfigInvalid e = refusal(Map.of());

        assertThat(variablesAtFault(e)).containsExactly(ConfigVariable.AWS_IOT_HOST, ConfigVariable.AWS_REGION,
                ConfigVariable.TETHER_CHANNEL_SECRET);
        assertThat(e).hasMessageStartingWith("Tether configuration is invalid (3 problems):")
                .hasMessageContaining("AWS_IOT_HOST: is not set; required unless TETHER_ENDPOINT is set")
                .hasMessageContaining("AWS_REGION: is not set; required: the AWS region, e.g. us-east-1")
                .hasMessageContaining("TETHER_CHANNEL_SECRET: is not set; required: a secret of at least 32 bytes");
    }

    @Test
    @DisplayName("Several bad values are all reported together, each with its variable, value and what is allowed")
    void severalBadValues_areReportedTogether() {
        Map<String, String> env = minimal();
        env.put("AWS_REGION", "US-EAST-1");
        env.put("TETHER_IDLE_TIMEOUT_SECONDS", "abc");
        env.put("TETHER_CHANNEL_TTL_SECONDS", "5");
        env.put("TETHER_HTTP_PORT", "70000");

        ConfigInvalid e = refusal(env);

        assertThat(variablesAtFault(e)).containsExactly(ConfigVariable.AWS_REGION,
                ConfigVariable.TETHER_IDLE_TIMEOUT_SECONDS, ConfigVariable.TETHER_CHANNEL_TTL_SECONDS,
                ConfigVariable.TETHER_HTTP_PORT);
        assertThat(e).hasMessageStartingWith("Tether configuration is invalid (4 problems):")
                .hasMessageContaining("AWS_REGION: value 'US-EAST-1' is not a region code; allowed is a code such "
                        + "as us-east-1")
                .hasMessageContaining("TETHER_IDLE_TIMEOUT_SECONDS: value 'abc' is not a whole number; allowed is a "
                        + "whole number from 1 to 3600")
                .hasMessageContaining("TETHER_CHANNEL_TTL_SECONDS: value '5' is out of range; allowed is a whole "
                        + "number from 10 to 86400")
                .hasMessageContaining("TETHER_HTTP_PORT: value '70000' is out of range; allowed is a whole number "
                        + "from 0 to 65535");
    }

    @ParameterizedTest(name = "{0}={1} accepted: {2}")
    @CsvSource({
        "TETHER_IDLE_TIMEOUT_SECONDS, 0, false",
        "TETHER_IDLE_TIMEOUT_SECONDS, 1, true",
        "TETHER_IDLE_TIMEOUT_SECONDS, 3600, true",
        "TETHER_IDLE_TIMEOUT_SECONDS, 3601, false",
        "TETHER_IDLE_TIMEOUT_SECONDS, -1, false",
        "TETHER_IDLE_TIMEOUT_SECONDS, +5, false",
        "TETHER_IDLE_TIMEOUT_SECONDS, 30s, false",
        "TETHER_IDLE_TIMEOUT_SECONDS, 1e3, false",
        "TETHER_IDLE_TIMEOUT_SECONDS, 99999999999, false",
        "TETHER_CHANNEL_TTL_SECONDS, 9, false",
        "TETHER_CHANNEL_TTL_SECONDS, 10, true",
        "TETHER_CHANNEL_TTL_SECONDS, 86400, true",
        "TETHER_CHANNEL_TTL_SECONDS, 86401, false",
        "TETHER_URL_EXPIRES_SECONDS, 0, false",
        "TETHER_URL_EXPIRES_SECONDS, 1, true",
        "TETHER_URL_EXPIRES_SECONDS, 604800, true",
        "TETHER_URL_EXPIRES_SECONDS, 604801, false",
        "TETHER_HTTP_PORT, 0, true",
        "TETHER_HTTP_PORT, 65535, true",
        "TETHER_HTTP_PORT, 65536, false",
        "TETHER_HTTP_PORT, -1, false",
    })
    void numbers_areCheckedAgainstTheirRange(String variable, String value, boolean accepted) {
        Map<String, String> env = minimalWith(variable, value);

        if (accepted) {
            assertThat(TetherConfig.fromEnvironment(env)).isNotNull();
        } else {
            ConfigInvalid e = refusal(env);
            assertThat(variablesAtFault(e)).containsExactly(ConfigVariable.valueOf(variable));
            assertThat(e).hasMessageContaining(variable + ": value '" + value + "' ")
                    .hasMessageContaining("allowed is a whole number from ");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"us-east-1", "us-gov-west-1", "cn-north-1", "eu-central-2", "ap-southeast-4"})
    void regionCodes_areAccepted(String region) {
        assertThat(TetherConfig.fromEnvironment(minimalWith("AWS_REGION", region)).region().id()).isEqualTo(region);
    }

    @ParameterizedTest
    @ValueSource(strings = {"US-EAST-1", "useast1", "us-east", "us_east_1", "us-east-1 ", "us-east-100", "1-2-3"})
    void malformedRegion_isRefused(String region) {
        assertThat(refusal(minimalWith("AWS_REGION", region)))
                .hasMessageContaining("AWS_REGION: value '" + region + "' is not a region code");
    }

    @ParameterizedTest
    @ValueSource(strings = {"https://abc.iot.us-east-1.amazonaws.com", "abc.iot.us-east-1.amazonaws.com:443",
        "abc..amazonaws.com", "-abc.amazonaws.com", "abc.amazonaws.com/mqtt", "a b.com", "h\u00f6st.com"})
    void malformedIotHost_isRefused(String host) {
        assertThat(refusal(minimalWith("AWS_IOT_HOST", host)))
                .hasMessageContaining("AWS_IOT_HOST: value '" + host + "' is not a host name; allowed is a host "
                        + "name only, without scheme, port or path");
    }

    @Test
    @DisplayName("A host name of 253 characters is accepted; 254 are refused with the length")
    void overlongIotHost_isRefused() {
        String labels = String.join(".", "a".repeat(63), "a".repeat(63), "a".repeat(63));
        String longest = labels + "." + "b".repeat(61);

        assertThat(TetherConfig.fromEnvironment(minimalWith("AWS_IOT_HOST", longest)).iotHost()).contains(longest);
        assertThat(refusal(minimalWith("AWS_IOT_HOST", longest + "b")))
                .hasMessageContaining("AWS_IOT_HOST: value '" + longest.substring(0, 100) + "...' is 254 characters "
                        + "long; allowed is a host name only");
    }

    @Test
    void hostLabelOf64Characters_isRefused() {
        assertThat(refusal(minimalWith("AWS_IOT_HOST", "a".repeat(64) + ".com")))
                .hasMessageContaining("is not a host name");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "http://127.0.0.1:9001/mqtt | has scheme http",
        "localhost:9001/mqtt | has scheme localhost",
        "/mqtt | has no scheme",
        "ws://127.0.0.1:9001 | has no path",
        "ws:///mqtt | has no host",
        "ws://127.0.0.1:9001/mqtt?x=1 | has a query or fragment",
        "ws://127.0.0.1:9001/mqtt#top | has a query or fragment",
        "ws://127.0.0.1:0/mqtt | has port 0",
        "ws://127.0.0.1:99999/mqtt | has port 99999",
        "ws://bad host/mqtt | is not a URL",
    })
    void malformedEndpoint_isRefused(String endpoint, String what) {
        assertThat(refusal(minimalWith("TETHER_ENDPOINT", endpoint)))
                .hasMessageContaining("TETHER_ENDPOINT: value '" + endpoint + "' " + what);
    }

    @Test
    @DisplayName("An endpoint with user information is refused without showing it, as it may hold a password")
    void endpointWithUserInfo_isRefusedWithoutShowingIt() {
        ConfigInvalid e = refusal(minimalWith("TETHER_ENDPOINT", "ws://user:hunter2@127.0.0.1:9001/mqtt"));

        assertThat(e).hasMessageContaining("TETHER_ENDPOINT: value (redacted, 37 bytes) carries user information")
                .message().doesNotContain("hunter2");
    }

    @ParameterizedTest
    @ValueSource(strings = {"arn:aws:iam::123456789012:role/tether-client",
        "arn:aws-cn:iam::123456789012:role/service/tether+client=1,a.b@c_d-e",
        "arn:aws-us-gov:iam::123456789012:role/x"})
    void roleArn_isAccepted(String arn) {
        assertThat(TetherConfig.fromEnvironment(minimalWith("TETHER_CLIENT_ROLE_ARN", arn)).clientRoleArn())
                .contains(arn);
    }

    @ParameterizedTest
    @ValueSource(strings = {"arn:aws:iam::12345:role/x", "arn:aws:iam::123456789012:user/x",
        "arn:aws:sts::123456789012:assumed-role/x/y", "role/x", "arn:aws:iam::123456789012:role/",
        "arn:aws:iam::123456789012:role/x y", "arn:AWS:iam::123456789012:role/x"})
    void malformedRoleArn_isRefused(String arn) {
        assertThat(refusal(minimalWith("TETHER_CLIENT_ROLE_ARN", arn)))
                .hasMessageContaining("TETHER_CLIENT_ROLE_ARN: value '" + arn + "' is not an IAM role ARN; allowed "
                        + "is arn:aws:iam::<12-digit account>:role/<name>");
    }

    @Test
    void anyOrigin_mustBeAskedForAlone() {
        TetherConfig config = TetherConfig.fromEnvironment(minimalWith("TETHER_ALLOWED_ORIGINS", "*"));

        assertThat(config.allowedOrigins()).containsExactly("*");
        assertThat(config.allowsAnyOrigin()).isTrue();
        assertThat(refusal(minimalWith("TETHER_ALLOWED_ORIGINS", "https://app.example.com,*")))
                .hasMessageContaining("TETHER_ALLOWED_ORIGINS: is 'https://app.example.com,*', which has * among "
                        + "other origins; * allows any origin and must be given alone");
    }

    @Test
    void repeatedOrigin_isKeptOnce() {
        TetherConfig config = TetherConfig.fromEnvironment(minimalWith("TETHER_ALLOWED_ORIGINS",
                "https://a.example.com,https://a.example.com"));

        assertThat(config.allowedOrigins()).containsExactly("https://a.example.com");
    }

    @Test
    void emptyOriginEntry_isRefused() {
        assertThat(refusal(minimalWith("TETHER_ALLOWED_ORIGINS", "https://a.example.com,")))
                .hasMessageContaining("which has an empty entry");
    }

    @ParameterizedTest
    @ValueSource(strings = {"https://app.example.com/", "HTTPS://APP.EXAMPLE.COM", "https://*.example.com", "null",
        "app.example.com", "ftp://app.example.com", "https://app.example.com/path", "https://a.com:99999"})
    void malformedOrigin_isRefused(String origin) {
        ConfigInvalid e = refusal(minimalWith("TETHER_ALLOWED_ORIGINS", "https://ok.example.com," + origin));

        assertThat(variablesAtFault(e)).containsExactly(ConfigVariable.TETHER_ALLOWED_ORIGINS);
        assertThat(e).hasMessageContaining("TETHER_ALLOWED_ORIGINS: has entry '" + origin + "'");
    }

    @Test
    void malformedTopicPrefix_isRefusedWithTheTopicRule() {
        assertThat(refusal(minimalWith("TETHER_TOPIC_PREFIX", "tether/#")))
                .hasMessageContaining("TETHER_TOPIC_PREFIX: value 'tether/#' is refused: topic prefix 'tether/#' is "
                        + "not allowed; allowed are one or more segments");
    }

    @Test
    @DisplayName("A short channel secret is refused with its length but never its value")
    void shortChannelSecret_isRefusedWithoutShowingIt() {
        ConfigInvalid e = refusal(minimalWith("TETHER_CHANNEL_SECRET", "tiny-secret-xyz"));

        assertThat(e).hasMessageContaining("TETHER_CHANNEL_SECRET: value (redacted, 15 bytes) is too short; at "
                + "least 32 bytes are required")
                .message().doesNotContain("tiny-secret-xyz");
        assertThat(e.problems()).extracting(ConfigProblem::message).noneMatch(m -> m.contains("tiny"));
    }

    @Test
    void toString_doesNotRevealTheChannelSecret() {
        TetherConfig config = TetherConfig.fromEnvironment(minimal());

        assertThat(config.toString()).contains("ChannelSecret[redacted]").doesNotContain(SECRET);
    }

    @Test
    @DisplayName("Control characters in a refused value are shown escaped, and long values shortened")
    void refusedValues_areShownSafely() {
        assertThat(refusal(minimalWith("AWS_REGION", "us-east-1\nFAKE LOG LINE")))
                .hasMessageContaining("'us-east-1\\u000AFAKE LOG LINE'");
        assertThat(refusal(minimalWith("AWS_REGION", "x".repeat(5000))))
                .hasMessageContaining("x".repeat(100) + "...'")
                .message().doesNotContain("x".repeat(101));
    }

    @Test
    void nullEnvironment_isRefused() {
        assertThatThrownBy(() -> TetherConfig.fromEnvironment(null)).isInstanceOf(NullPointerException.class);
    }

    @ParameterizedTest
    @EnumSource(ConfigVariable.class)
    @DisplayName("Every variable has its environment name and a one-line description")
    void everyVariable_isDescribed(ConfigVariable variable) {
        assertThat(variable.variableName()).isEqualTo(variable.name()).matches("(AWS|TETHER)_[A-Z_]+");
        assertThat(variable.description()).isNotBlank().doesNotContain("\n");
    }

    @Test
    void onlyTheChannelSecret_isSecret() {
        assertThat(ConfigVariable.values()).filteredOn(ConfigVariable::isSecret)
                .containsExactly(ConfigVariable.TETHER_CHANNEL_SECRET);
    }
}
