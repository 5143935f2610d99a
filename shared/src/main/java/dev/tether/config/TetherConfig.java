package dev.tether.config;

import static dev.tether.config.ConfigVariable.AWS_IOT_HOST;
import static dev.tether.config.ConfigVariable.AWS_REGION;
import static dev.tether.config.ConfigVariable.TETHER_ALLOWED_ORIGINS;
import static dev.tether.config.ConfigVariable.TETHER_CHANNEL_SECRET;
import static dev.tether.config.ConfigVariable.TETHER_CHANNEL_TTL_SECONDS;
import static dev.tether.config.ConfigVariable.TETHER_CLIENT_ROLE_ARN;
import static dev.tether.config.ConfigVariable.TETHER_ENDPOINT;
import static dev.tether.config.ConfigVariable.TETHER_HTTP_PORT;
import static dev.tether.config.ConfigVariable.TETHER_IDLE_TIMEOUT_SECONDS;
import static dev.tether.config.ConfigVariable.TETHER_TOPIC_PREFIX;
import static dev.tether.config.ConfigVariable.TETHER_URL_EXPIRES_SECONDS;

import dev.tether.channel.ChannelSecret;
import dev.tether.channel.ChannelSecretTooShort;
import dev.tether.topic.TopicInvalid;
import dev.tether.topic.Topics;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;
import software.amazon.awssdk.regions.Region;

/**
 * Tether's configuration, read once at start from environment variables (see {@link ConfigVariable}).
 *
 * <p>A variable set to the empty string counts as not set. {@link #fromEnvironment(Map)} checks every variable and
 * reports every problem together in one {@link ConfigInvalid}. {@link #toString()} shows the channel secret only as
 * {@code ChannelSecret[redacted]}.
 *
 * @param iotHost AWS IoT Core data endpoint host ({@code AWS_IOT_HOST}); may be absent only with an endpoint
 *        override, which wins when both are given
 * @param region AWS region ({@code AWS_REGION})
 * @param endpointOverride broker URL replacing AWS IoT Core ({@code TETHER_ENDPOINT}), always with an explicit port
 * @param topics the topics under the configured prefix ({@code TETHER_TOPIC_PREFIX})
 * @param idleTimeout how long a responder waits for a request ({@code TETHER_IDLE_TIMEOUT_SECONDS})
 * @param channelSecret the secret channel ids are signed with ({@code TETHER_CHANNEL_SECRET})
 * @param channelTimeToLive how long a channel id may wait for its session message ({@code
 *        TETHER_CHANNEL_TTL_SECONDS})
 * @param presignedUrlExpiry {@code X-Amz-Expires} of presigned URLs ({@code TETHER_URL_EXPIRES_SECONDS})
 * @param clientRoleArn role assumed for scoped client credentials ({@code TETHER_CLIENT_ROLE_ARN})
 * @param allowedOrigins origins allowed by CORS, or just {@code *} ({@code TETHER_ALLOWED_ORIGINS})
 * @param httpPort HTTP port of the session service ({@code TETHER_HTTP_PORT})
 */
public record TetherConfig(
        Optional<String> iotHost,
        Region region,
        Optional<URI> endpointOverride,
        Topics topics,
        Duration idleTimeout,
        ChannelSecret channelSecret,
        Duration channelTimeToLive,
        Duration presignedUrlExpiry,
        Optional<String> clientRoleArn,
        List<String> allowedOrigins,
        int httpPort) {
    /** The one entry of {@link #allowedOrigins()} that allows any origin. */
    public static final String ANY_ORIGIN = "*";

    private static final Pattern HOST_LABEL = Pattern.compile("[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?");
    private static final Pattern REGION = Pattern.compile("[a-z]{2}(-[a-z]+)+-[0-9]{1,2}");
    private static final Pattern ROLE_ARN = Pattern.compile(
            "arn:aws[a-z-]*:iam::[0-9]{12}:role/([A-Za-z0-9+=,.@_-]+/)*[A-Za-z0-9+=,.@_-]{1,64}");
    // An origin as browsers serialize it (RFC 6454, 6.2): lower-case scheme and host, a port only if not default.
    private static final Pattern ORIGIN = Pattern.compile(
            "https?://([a-z0-9]([a-z0-9-]*[a-z0-9])?(\\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*|\\[[0-9a-f:.]+])"
                    + "(:[0-9]{1,5})?");
    private static final int MAX_HOST_LENGTH = 253;
    private static final int MAX_PORT = 65535;
    private static final int MAX_SHOWN_CHARACTERS = 100;

    /**
     * A configuration of the given values; {@link #fromEnvironment(Map)} is the usual way to get one, as it also
     * checks each value's range.
     *
     * @throws NullPointerException if any value is null
     * @throws IllegalArgumentException if neither an IoT host nor an endpoint override is given
     */
    public TetherConfig {
        Objects.requireNonNull(iotHost, "iotHost");
        Objects.requireNonNull(region, "region");
        Objects.requireNonNull(endpointOverride, "endpointOverride");
        Objects.requireNonNull(topics, "topics");
        Objects.requireNonNull(idleTimeout, "idleTimeout");
        Objects.requireNonNull(channelSecret, "channelSecret");
        Objects.requireNonNull(channelTimeToLive, "channelTimeToLive");
        Objects.requireNonNull(presignedUrlExpiry, "presignedUrlExpiry");
        Objects.requireNonNull(clientRoleArn, "clientRoleArn");
        allowedOrigins = List.copyOf(allowedOrigins);
        if (iotHost.isEmpty() && endpointOverride.isEmpty()) {
            throw new IllegalArgumentException("an IoT host or an endpoint override is required");
        }
    }

    /** Reads the configuration from the process environment; see {@link #fromEnvironment(Map)}. */
    public static TetherConfig fromEnvironment() {
        return fromEnvironment(System.getenv());
    }

    /**
     * Reads the configuration from the given environment variables.
     *
     * @throws ConfigInvalid listing every variable with a bad or missing value, what it was (never the channel
     *         secret) and what is allowed
     */
    public static TetherConfig fromEnvironment(Map<String, String> env) {
        Objects.requireNonNull(env, "env");
        Reader reader = new Reader(env);

        Optional<String> iotHost = reader.optional(AWS_IOT_HOST, TetherConfig::parseHost);
        Optional<Region> region = reader.required(AWS_REGION, TetherConfig::parseRegion,
                "required: the AWS region, e.g. us-east-1");
        Optional<URI> endpoint = reader.optional(TETHER_ENDPOINT, TetherConfig::parseEndpoint);
        if (reader.isUnset(AWS_IOT_HOST) && reader.isUnset(TETHER_ENDPOINT)) {
            reader.problem(AWS_IOT_HOST, "is not set; required unless TETHER_ENDPOINT is set: the AWS IoT Core "
                    + "data endpoint host, e.g. abc123-ats.iot.us-east-1.amazonaws.com");
        }
        Optional<Topics> topics = reader.withDefault(TETHER_TOPIC_PREFIX, TetherConfig::parseTopicPrefix);
        Optional<Duration> idleTimeout = reader.withDefault(TETHER_IDLE_TIMEOUT_SECONDS, seconds(1, 3600));
        Optional<ChannelSecret> secret = reader.required(TETHER_CHANNEL_SECRET, TetherConfig::parseSecret,
                "required: a secret of at least " + ChannelSecret.MIN_BYTES + " bytes shared by the session "
                        + "service and the responder");
        Optional<Duration> channelTimeToLive = reader.withDefault(TETHER_CHANNEL_TTL_SECONDS, seconds(10, 86400));
        Optional<Duration> urlExpiry = reader.withDefault(TETHER_URL_EXPIRES_SECONDS, seconds(1, 604800));
        Optional<String> roleArn = reader.optional(TETHER_CLIENT_ROLE_ARN, TetherConfig::parseRoleArn);
        List<String> origins = reader.origins();
        Optional<Integer> httpPort = reader.withDefault(TETHER_HTTP_PORT, value -> parseNumber(value, 0, MAX_PORT));

        reader.throwIfAnyProblem();
        return new TetherConfig(iotHost, region.orElseThrow(), endpoint, topics.orElseThrow(),
                idleTimeout.orElseThrow(), secret.orElseThrow(), channelTimeToLive.orElseThrow(),
                urlExpiry.orElseThrow(), roleArn, origins, httpPort.orElseThrow());
    }

    /** Whether {@link #allowedOrigins()} is just {@value #ANY_ORIGIN}, allowing any origin. */
    public boolean allowsAnyOrigin() {
        return allowedOrigins.equals(List.of(ANY_ORIGIN));
    }

    private static String parseHost(String value) throws BadValue {
        String allowed = "; allowed is a host name only, without scheme, port or path, "
                + "e.g. abc123-ats.iot.us-east-1.amazonaws.com";
        if (value.length() > MAX_HOST_LENGTH) {
            throw new BadValue("is " + value.length() + " characters long" + allowed);
        }
        boolean allLabelsValid = Arrays.stream(value.split("\\.", -1)).allMatch(l -> HOST_LABEL.matcher(l).matches());
        if (!allLabelsValid) {
            throw new BadValue("is not a host name" + allowed);
        }
        return value;
    }

    private static Region parseRegion(String value) throws BadValue {
        if (!REGION.matcher(value).matches()) {
            throw new BadValue("is not a region code; allowed is a code such as us-east-1 or eu-central-2: "
                    + "lower-case letters in hyphenated words, ending in a number");
        }
        return Region.of(value);
    }

    private static URI parseEndpoint(String value) throws BadValue {
        String allowed = "; allowed is ws:// or wss:// with a host, an optional port and a path, "
                + "e.g. ws://127.0.0.1:9001/mqtt";
        URI uri;
        try {
            uri = new URI(value);
        } catch (URISyntaxException e) {
            throw new BadValue("is not a URL" + allowed, value.contains("@"));
        }
        if (uri.getRawUserInfo() != null) {
            throw new BadValue("carries user information; credentials do not belong in it" + allowed, true);
        }
        String scheme = uri.getScheme();
        if (!"ws".equals(scheme) && !"wss".equals(scheme)) {
            throw new BadValue((scheme == null ? "has no scheme" : "has scheme " + scheme) + allowed);
        }
        if (uri.getHost() == null) {
            throw new BadValue("has no host" + allowed);
        }
        if (uri.getRawPath() == null || uri.getRawPath().isEmpty()) {
            throw new BadValue("has no path" + allowed);
        }
        if (uri.getRawQuery() != null || uri.getRawFragment() != null) {
            throw new BadValue("has a query or fragment" + allowed);
        }
        int port = uri.getPort();
        if (port == 0 || port > MAX_PORT) {
            throw new BadValue("has port " + port + "; allowed is 1 to " + MAX_PORT);
        }
        int explicitPort = port > 0 ? port : "wss".equals(scheme) ? 443 : 80;
        try {
            return new URI(scheme, null, uri.getHost(), explicitPort, uri.getPath(), null, null);
        } catch (URISyntaxException e) {
            throw new BadValue("is not a URL" + allowed);
        }
    }

    private static Topics parseTopicPrefix(String value) throws BadValue {
        try {
            return new Topics(value);
        } catch (TopicInvalid e) {
            throw new BadValue("is refused: " + e.getMessage());
        }
    }

    private static ChannelSecret parseSecret(String value) throws BadValue {
        try {
            return ChannelSecret.fromUtf8(value);
        } catch (ChannelSecretTooShort e) {
            throw new BadValue("is too short; at least " + ChannelSecret.MIN_BYTES
                    + " bytes are required (for example 32 random bytes, base64-encoded)");
        }
    }

    private static String parseRoleArn(String value) throws BadValue {
        if (!ROLE_ARN.matcher(value).matches()) {
            throw new BadValue("is not an IAM role ARN; allowed is arn:aws:iam::<12-digit account>:role/<name> "
                    + "(or another partition such as arn:aws-cn), e.g. arn:aws:iam::123456789012:role/tether-client");
        }
        return value;
    }

    private static Parser<Duration> seconds(int min, int max) {
        return value -> Duration.ofSeconds(parseNumber(value, min, max));
    }

    private static int parseNumber(String value, int min, int max) throws BadValue {
        String allowed = "; allowed is a whole number from " + min + " to " + max;
        if (!value.matches("[0-9]{1,9}")) {
            throw new BadValue("is not a whole number" + allowed);
        }
        int number = Integer.parseInt(value);
        if (number < min || number > max) {
            throw new BadValue("is out of range" + allowed);
        }
        return number;
    }

    private static Optional<String> checkOrigin(String origin) {
        if (!ORIGIN.matcher(origin).matches()) {
            return Optional.of("has entry " + show(origin) + ", which is not an origin; allowed is scheme://host"
                    + "[:port] with scheme http or https, in lower case, without path or trailing slash, "
                    + "e.g. https://app.example.com");
        }
        int portStart = origin.lastIndexOf(':');
        if (portStart > origin.indexOf("://") && !origin.endsWith("]")) {
            int port = Integer.parseInt(origin.substring(portStart + 1));
            if (port < 1 || port > MAX_PORT) {
                return Optional.of("has entry " + show(origin) + " with port " + port + "; allowed is 1 to "
                        + MAX_PORT);
            }
        }
        return Optional.empty();
    }

    // Configuration values are shown in messages, but bounded and with control characters escaped.
    private static String show(String value) {
        StringBuilder shown = new StringBuilder("'");
        value.codePoints().limit(MAX_SHOWN_CHARACTERS).forEach(cp -> {
            if (Character.isISOControl(cp)) {
                shown.append(String.format(Locale.ROOT, "\\u%04X", cp));
            } else {
                shown.appendCodePoint(cp);
            }
        });
        if (value.codePointCount(0, value.length()) > MAX_SHOWN_CHARACTERS) {
            shown.append("...");
        }
        return shown.append('\'').toString();
    }

    @FunctionalInterface
    private interface Parser<T> {
        T parse(String value) throws BadValue;
    }

    /** Why a value was refused; {@code hideValue} when showing it could reveal a secret. */
    private static final class BadValue extends Exception {
        private static final long serialVersionUID = 1L;
        private final boolean hideValue;

        BadValue(String reason) {
            this(reason, false);
        }

        BadValue(String reason, boolean hideValue) {
            super(reason, null, false, false);
            this.hideValue = hideValue;
        }
    }

    /** Reads variables one by one and collects what is wrong with them. */
    private static final class Reader {
        private final Map<String, String> env;
        private final List<ConfigProblem> problems = new ArrayList<>();

        Reader(Map<String, String> env) {
            this.env = env;
        }

        boolean isUnset(ConfigVariable variable) {
            String value = env.get(variable.variableName());
            return value == null || value.isEmpty();
        }

        <T> Optional<T> optional(ConfigVariable variable, Parser<T> parser) {
            if (isUnset(variable)) {
                return Optional.empty();
            }
            return parse(variable, env.get(variable.variableName()), parser);
        }

        <T> Optional<T> required(ConfigVariable variable, Parser<T> parser, String whatIsRequired) {
            if (isUnset(variable)) {
                problem(variable, "is not set; " + whatIsRequired);
                return Optional.empty();
            }
            return parse(variable, env.get(variable.variableName()), parser);
        }

        <T> Optional<T> withDefault(ConfigVariable variable, Parser<T> parser) {
            String value = isUnset(variable) ? variable.defaultValue().orElseThrow() : env.get(variable.name());
            return parse(variable, value, parser);
        }

        List<String> origins() {
            String value = isUnset(TETHER_ALLOWED_ORIGINS) ? "" : env.get(TETHER_ALLOWED_ORIGINS.variableName());
            List<String> origins = Arrays.stream(value.split(",", -1)).map(String::trim).distinct().toList();
            if (origins.equals(List.of("")) || origins.equals(List.of(ANY_ORIGIN))) {
                return origins.equals(List.of("")) ? List.of() : origins;
            }
            for (String origin : origins) {
                if (origin.isEmpty()) {
                    problem(TETHER_ALLOWED_ORIGINS, "is " + show(value) + ", which has an empty entry; allowed is "
                            + "a comma-separated list of origins such as https://app.example.com");
                } else if (origin.equals(ANY_ORIGIN)) {
                    problem(TETHER_ALLOWED_ORIGINS, "is " + show(value) + ", which has * among other origins; "
                            + "* allows any origin and must be given alone");
                } else {
                    checkOrigin(origin).ifPresent(message -> problem(TETHER_ALLOWED_ORIGINS, message));
                }
            }
            return origins;
        }

        void problem(ConfigVariable variable, String message) {
            problems.add(new ConfigProblem(variable, message));
        }

        void throwIfAnyProblem() {
            if (!problems.isEmpty()) {
                List<ConfigProblem> ordered = new ArrayList<>(problems);
                ordered.sort((a, b) -> a.variable().compareTo(b.variable()));
                throw new ConfigInvalid(ordered);
            }
        }

        private <T> Optional<T> parse(ConfigVariable variable, String value, Parser<T> parser) {
            try {
                return Optional.of(parser.parse(value));
            } catch (BadValue bad) {
                String shown = variable.isSecret() || bad.hideValue
                        ? "(redacted, " + value.getBytes(StandardCharsets.UTF_8).length + " bytes)"
                        : show(value);
                problem(variable, "value " + shown + " " + bad.getMessage());
                return Optional.empty();
            }
        }
    }
}
