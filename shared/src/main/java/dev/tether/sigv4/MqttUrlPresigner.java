package dev.tether.sigv4;

import dev.tether.sigv4.internal.AmzDate;
import dev.tether.sigv4.internal.Canonicalizer;
import dev.tether.sigv4.internal.QueryParameter;
import dev.tether.sigv4.internal.SigV4Crypto;
import dev.tether.sigv4.internal.SigningKeyCache;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;
import software.amazon.awssdk.identity.spi.AwsSessionCredentialsIdentity;

/**
 * Presigns MQTT-over-WebSocket URLs for AWS IoT Core: SigV4 query signing of {@code GET /mqtt} for service
 * {@code iotdevicegateway}, with {@code host} the only signed header (a browser can send no other header on a
 * WebSocket upgrade) and the payload hash of the empty string.
 *
 * <p>{@code X-Amz-Expires} is optional; when configured it is signed into the canonical query. A session token
 * is appended after signing as {@code X-Amz-Security-Token}, encoded like JavaScript's encodeURIComponent, and
 * is never part of the canonical query: AWS IoT Core refuses a URL whose token is signed (AWS IoT developer
 * guide, "MQTT over the WebSocket protocol").
 *
 * <p>Thread-safe; derived signing keys are cached per secret, day, region and service. A presigned URL grants
 * what its credentials grant: never log it.
 *
 * <pre>{@code
 * MqttUrlPresigner presigner = MqttUrlPresigner.builder()
 *         .host("abc123-ats.iot.us-east-1.amazonaws.com")
 *         .region("us-east-1")
 *         .build();
 * String url = presigner.presign(credentials);
 * }</pre>
 */
public final class MqttUrlPresigner {
    /** The SigV4 service name of AWS IoT Core's MQTT endpoint. */
    public static final String SERVICE = "iotdevicegateway";

    /** Longest X-Amz-Expires SigV4 allows: seven days (AWS SigV4 documentation, "Authentication methods"). */
    public static final Duration MAX_EXPIRES = Duration.ofSeconds(604_800);

    private static final int KEY_CACHE_CAPACITY = 64;
    private static final String SIGNED_HEADERS = "host";

    private final String urlPrefix;
    private final String canonicalUri;
    private final String canonicalHeaderBlock;
    private final String region;
    private final Optional<String> expiresSeconds;
    private final Clock clock;
    private final SigningKeyCache signingKeys;
    private volatile StampedDate lastDate = new StampedDate(Long.MIN_VALUE, "", "");

    private MqttUrlPresigner(Builder builder, SigningKeyCache signingKeys) {
        this.urlPrefix = builder.scheme + "://" + builder.host + builder.path;
        this.canonicalUri = Canonicalizer.canonicalUri(builder.path, true);
        this.canonicalHeaderBlock = Canonicalizer.canonicalHeaders(List.of(Map.entry("host", builder.host))).block();
        this.region = builder.region;
        this.expiresSeconds = builder.expires.map(expires -> Long.toString(expires.getSeconds()));
        this.clock = builder.clock;
        this.signingKeys = signingKeys;
    }

    /** A builder; {@link Builder#host(String)} and {@link Builder#region(String)} are required. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Presigns a URL at the clock's current time.
     *
     * @param credentials the identity to sign with; an {@link AwsSessionCredentialsIdentity} adds its token
     * @return the complete URL, for example {@code wss://host/mqtt?X-Amz-Algorithm=...&X-Amz-Signature=...}
     * @throws IllegalArgumentException when the access key id, secret or session token is empty, or the access
     *         key id holds a character other than a letter or digit
     */
    public String presign(AwsCredentialsIdentity credentials) {
        Objects.requireNonNull(credentials, "credentials");
        String accessKeyId = checkedAccessKeyId(credentials.accessKeyId());
        String secret = credentials.secretAccessKey();
        if (secret == null || secret.isEmpty()) {
            throw new IllegalArgumentException("the secret access key of access key id " + accessKeyId
                    + " is empty");
        }
        String sessionToken = null;
        if (credentials instanceof AwsSessionCredentialsIdentity session) {
            sessionToken = session.sessionToken();
            if (sessionToken == null || sessionToken.isEmpty()) {
                throw new IllegalArgumentException("the session token of access key id " + accessKeyId
                        + " is empty; use AwsBasicCredentials for credentials without a token");
            }
        }

        StampedDate date = currentDate();
        String scope = Canonicalizer.credentialScope(date.dateStamp(), region, SERVICE);
        List<QueryParameter> parameters = new ArrayList<>(5);
        parameters.add(new QueryParameter("X-Amz-Algorithm", Canonicalizer.ALGORITHM));
        parameters.add(new QueryParameter("X-Amz-Credential", accessKeyId + '/' + scope));
        parameters.add(new QueryParameter("X-Amz-Date", date.amzDate()));
        if (expiresSeconds.isPresent()) {
            parameters.add(new QueryParameter("X-Amz-Expires", expiresSeconds.get()));
        }
        parameters.add(new QueryParameter("X-Amz-SignedHeaders", SIGNED_HEADERS));
        String canonicalQuery = Canonicalizer.canonicalQuery(parameters);
        String canonicalRequest = Canonicalizer.canonicalRequest("GET", canonicalUri, canonicalQuery,
                canonicalHeaderBlock, SIGNED_HEADERS, Canonicalizer.EMPTY_PAYLOAD_SHA256);
        String stringToSign = Canonicalizer.stringToSign(date.amzDate(), scope,
                SigV4Crypto.sha256Hex(canonicalRequest));
        byte[] signature = SigV4Crypto.signature(
                signingKeys.signingKey(secret, date.dateStamp(), region, SERVICE), stringToSign);

        StringBuilder url = new StringBuilder(urlPrefix.length() + canonicalQuery.length() + 96
                + (sessionToken == null ? 0 : sessionToken.length() * 2));
        url.append(urlPrefix).append('?').append(canonicalQuery)
                .append("&X-Amz-Signature=").append(SigV4Crypto.hex(signature));
        if (sessionToken != null) {
            url.append("&X-Amz-Security-Token=").append(Canonicalizer.encodeUriComponent(sessionToken));
        }
        return url.toString();
    }

    private StampedDate currentDate() {
        long epochSecond = Math.floorDiv(clock.millis(), 1000L);
        StampedDate date = lastDate;
        if (date.epochSecond() != epochSecond) {
            String amzDate = AmzDate.format(epochSecond);
            date = new StampedDate(epochSecond, amzDate, amzDate.substring(0, 8));
            lastDate = date;
        }
        return date;
    }

    private static String checkedAccessKeyId(String accessKeyId) {
        if (accessKeyId == null || accessKeyId.isEmpty()) {
            throw new IllegalArgumentException("the access key id is empty");
        }
        for (int i = 0; i < accessKeyId.length(); i++) {
            char c = accessKeyId.charAt(i);
            boolean alphanumeric = c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9';
            if (!alphanumeric) {
                // A '/' would split the credential scope; AWS access key ids are letters and digits only.
                throw new IllegalArgumentException("access key id '" + accessKeyId
                        + "' may hold only letters and digits");
            }
        }
        return accessKeyId;
    }

    /** The time stamps of one second, kept so that a burst of presigns formats the date once. */
    private record StampedDate(long epochSecond, String amzDate, String dateStamp) {
    }

    /** Builds a {@link MqttUrlPresigner}; every setter checks its argument at once. */
    public static final class Builder {
        private String scheme = "wss";
        private String host;
        private String path = "/mqtt";
        private String region;
        private Optional<Duration> expires = Optional.empty();
        private Clock clock = Clock.systemUTC();
        private int keyCacheCapacity = KEY_CACHE_CAPACITY;

        private Builder() {
        }

        /**
         * {@code wss} (the default, as AWS IoT Core requires) or {@code ws} for a local broker.
         *
         * @throws IllegalArgumentException for any other scheme
         */
        public Builder scheme(String scheme) {
            if (!"wss".equals(scheme) && !"ws".equals(scheme)) {
                throw new IllegalArgumentException("scheme '" + scheme + "' is not allowed: use wss, or ws for a"
                        + " local broker");
            }
            this.scheme = scheme;
            return this;
        }

        /**
         * The broker's host name as the client will send it in {@code Host}, with {@code :port} if not the
         * default; lower-cased, as browsers send it.
         *
         * @throws IllegalArgumentException when it is not a DNS name, IPv4 address or bracketed IPv6 address
         *         with an optional port from 1 to 65535
         */
        public Builder host(String host) {
            this.host = HostNames.checked(host).toLowerCase(Locale.ROOT);
            return this;
        }

        /**
         * The path, {@code /mqtt} by default.
         *
         * @throws IllegalArgumentException unless it starts with '/' and holds only RFC 3986 unreserved
         *         characters and '/'
         */
        public Builder path(String path) {
            if (path == null || !path.startsWith("/")) {
                throw new IllegalArgumentException("path '" + path + "' must start with '/', e.g. /mqtt");
            }
            for (int i = 0; i < path.length(); i++) {
                char c = path.charAt(i);
                boolean allowed = c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9'
                        || c == '/' || c == '-' || c == '.' || c == '_' || c == '~';
                if (!allowed) {
                    throw new IllegalArgumentException("path '" + path + "' may hold only letters, digits and"
                            + " '/-._~'");
                }
            }
            this.path = path;
            return this;
        }

        /**
         * The AWS region of the IoT endpoint, such as {@code us-east-1}.
         *
         * @throws IllegalArgumentException unless lower-case letters, digits and '-', starting with a letter
         */
        public Builder region(String region) {
            this.region = Regions.checked(region);
            return this;
        }

        /**
         * Signs {@code X-Amz-Expires} into the URL. Without it (the default) AWS IoT Core still accepts the
         * URL only shortly after it was signed; presign afresh for every connection either way.
         *
         * @throws IllegalArgumentException unless a whole number of seconds from 1 to 604800
         */
        public Builder expires(Duration expires) {
            Objects.requireNonNull(expires, "expires");
            if (expires.getNano() != 0 || expires.getSeconds() < 1 || expires.compareTo(MAX_EXPIRES) > 0) {
                throw new IllegalArgumentException("expires " + expires + " is not allowed: use whole seconds"
                        + " from 1 to 604800 (7 days)");
            }
            this.expires = Optional.of(expires);
            return this;
        }

        /** Where the signing time comes from; {@link Clock#systemUTC()} by default. */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /** For tests: 0 derives the signing key on every presign. */
        Builder keyCacheCapacity(int capacity) {
            this.keyCacheCapacity = capacity;
            return this;
        }

        /**
         * @throws IllegalStateException when host or region is missing
         */
        public MqttUrlPresigner build() {
            if (host == null) {
                throw new IllegalStateException("host is required, e.g. abc123-ats.iot.us-east-1.amazonaws.com");
            }
            if (region == null) {
                throw new IllegalStateException("region is required, e.g. us-east-1");
            }
            return new MqttUrlPresigner(this, new SigningKeyCache(keyCacheCapacity));
        }
    }
}
