package dev.tether.sigv4;

import dev.tether.sigv4.Verification.Accepted;
import dev.tether.sigv4.Verification.Reason;
import dev.tether.sigv4.Verification.Refused;
import dev.tether.sigv4.internal.AmzDate;
import dev.tether.sigv4.internal.CanonicalHeaders;
import dev.tether.sigv4.internal.Canonicalizer;
import dev.tether.sigv4.internal.MalformedSigV4Input;
import dev.tether.sigv4.internal.QueryParameter;
import dev.tether.sigv4.internal.SigV4Crypto;
import dev.tether.sigv4.internal.SigningKeyCache;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import javax.crypto.spec.SecretKeySpec;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;
import software.amazon.awssdk.identity.spi.AwsSessionCredentialsIdentity;

/**
 * Verifies SigV4-signed requests the way AWS does, for Tether's local stand-in for AWS IoT Core, STS and the
 * IoT data plane: presigned URLs (query signing) and {@code Authorization}-header signing.
 *
 * <p>Checks, in this order, each refusing with its own {@link Reason}: the request is well formed
 * ({@code MALFORMED}), the access key id is known, the credential scope names this verifier's region and
 * service and the date of X-Amz-Date, the time (a presigned URL with X-Amz-Expires is valid from X-Amz-Date
 * minus the skew until X-Amz-Date plus X-Amz-Expires; anything else within the skew of X-Amz-Date), the
 * signature (compared in constant time), and last the session token.
 *
 * <p>Inputs are taken exactly as received: the raw path and raw query, not decoded, because the canonical
 * request is built from them. Hostile request content never makes a method throw; it is refused with
 * {@code MALFORMED}. Null headers or body are programming errors and throw NullPointerException.
 * Thread-safe; no I/O, so it may run on an event loop as long as the credentials lookup does not block.
 */
public final class SigV4Verifier {
    /** Longest raw query accepted, in characters. */
    public static final int MAX_QUERY_CHARS = 16_384;

    /** Longest raw path accepted, in characters. */
    public static final int MAX_PATH_CHARS = 8_192;

    /** Longest Authorization header value accepted, in characters. */
    public static final int MAX_AUTHORIZATION_CHARS = 4_096;

    /** Most signed headers accepted. */
    public static final int MAX_SIGNED_HEADERS = 64;

    private static final long MAX_EXPIRES_SECONDS = 604_800;
    private static final String TOKEN_PARAMETER = "X-Amz-Security-Token";
    private static final String SIGNATURE_PARAMETER = "X-Amz-Signature";
    private static final String CONTENT_SHA256 = "x-amz-content-sha256";
    private static final int SIGNATURE_HEX_LENGTH = 64;
    private static final int QUOTE_LIMIT = 64;

    private final Function<String, Optional<AwsCredentialsIdentity>> credentials;
    private final String region;
    private final String service;
    private final Clock clock;
    private final Duration maxDateSkew;
    private final boolean normalizePath;
    private final boolean signedTokenAllowed;
    private final SigningKeyCache signingKeys = new SigningKeyCache(256);

    private SigV4Verifier(Builder builder) {
        this.credentials = builder.credentials;
        this.region = builder.region;
        this.service = builder.service;
        this.clock = builder.clock;
        this.maxDateSkew = builder.maxDateSkew;
        this.normalizePath = builder.normalizePath;
        this.signedTokenAllowed = builder.signedTokenAllowed;
    }

    /** A builder; credentials, region and service are required. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Verifies an MQTT-over-WebSocket presigned URL as AWS IoT Core receives it: method GET, {@code host} the
     * only header that may be signed, empty payload.
     *
     * @param rawPath the request path exactly as received
     * @param rawQuery the query exactly as received, without '?'; null is taken as empty
     * @param host the Host header; null is refused as missing
     */
    public Verification verifyPresignedUrl(String rawPath, String rawQuery, String host) {
        List<Map.Entry<String, String>> headers = host == null ? List.of() : List.of(Map.entry("host", host));
        return verifyPresigned("GET", rawPath, rawQuery, headers, new byte[0]);
    }

    /**
     * Verifies a request signed in its query string (a presigned URL), with any signed headers.
     *
     * @param method the HTTP method
     * @param rawPath the path exactly as received
     * @param rawQuery the query exactly as received, without '?'; null is taken as empty
     * @param headers the request's headers, a name once per value (a Vert.x {@code MultiMap} will do)
     * @param body the request body; its SHA-256 is the payload hash
     */
    public Verification verifyPresigned(String method, String rawPath, String rawQuery,
            Iterable<Map.Entry<String, String>> headers, byte[] body) {
        try {
            return checkPresigned(method, rawPath, rawQuery == null ? "" : rawQuery, headers, body);
        } catch (MalformedSigV4Input e) {
            return new Refused(Reason.MALFORMED, e.getMessage());
        }
    }

    /**
     * Verifies a request signed in its {@code Authorization} header, as AWS SDKs send STS and IoT data-plane
     * calls. An {@code x-amz-content-sha256} header, when present, must be the SHA-256 of the body.
     *
     * @param method the HTTP method
     * @param rawPath the path exactly as received
     * @param rawQuery the query exactly as received, without '?'; null is taken as empty
     * @param headers the request's headers, a name once per value (a Vert.x {@code MultiMap} will do)
     * @param body the request body
     */
    public Verification verifyHeaderSigned(String method, String rawPath, String rawQuery,
            Iterable<Map.Entry<String, String>> headers, byte[] body) {
        try {
            return checkHeaderSigned(method, rawPath, rawQuery == null ? "" : rawQuery, headers, body);
        } catch (MalformedSigV4Input e) {
            return new Refused(Reason.MALFORMED, e.getMessage());
        }
    }

    private Verification checkPresigned(String method, String rawPath, String rawQuery,
            Iterable<Map.Entry<String, String>> headers, byte[] body) {
        checkRequestLine(method, rawPath, headers, body);
        if (rawQuery.length() > MAX_QUERY_CHARS) {
            throw malformed("the query has " + rawQuery.length() + " characters; at most " + MAX_QUERY_CHARS
                    + " are accepted");
        }
        List<QueryParameter> parameters = Canonicalizer.parseQuery(rawQuery);
        String algorithm = single(parameters, "X-Amz-Algorithm", true);
        String credential = single(parameters, "X-Amz-Credential", true);
        String amzDate = single(parameters, "X-Amz-Date", true);
        String expires = single(parameters, "X-Amz-Expires", false);
        String signedHeaders = single(parameters, "X-Amz-SignedHeaders", true);
        String signature = single(parameters, SIGNATURE_PARAMETER, true);
        String token = single(parameters, TOKEN_PARAMETER, false);
        checkAlgorithm(algorithm, "query parameter X-Amz-Algorithm");

        SignedFields fields = parseFields(credential, amzDate, signedHeaders, signature, "query parameter ");
        Optional<Long> expiresSeconds = Optional.ofNullable(expires).map(SigV4Verifier::parseExpires);
        Optional<AwsCredentialsIdentity> identity = lookup(fields.accessKeyId());
        if (identity.isEmpty()) {
            return unknownKey(fields.accessKeyId());
        }
        Optional<Refused> outOfScopeOrTime = checkScopeAndTime(fields, expiresSeconds);
        if (outOfScopeOrTime.isPresent()) {
            return outOfScopeOrTime.get();
        }

        CanonicalHeaders canonicalHeaders = Canonicalizer.canonicalHeaders(headers, fields.signedHeaderNames());
        String canonicalUri = Canonicalizer.canonicalUri(rawPath, normalizePath);
        String payloadHash = SigV4Crypto.sha256Hex(body);
        SecretKeySpec signingKey = signingKey(identity.get(), fields);
        List<QueryParameter> unsigned = new ArrayList<>(parameters.size());
        for (QueryParameter parameter : parameters) {
            boolean appendedAfterSigning = SIGNATURE_PARAMETER.equals(parameter.name())
                    || TOKEN_PARAMETER.equals(parameter.name());
            if (!appendedAfterSigning) {
                unsigned.add(parameter);
            }
        }
        boolean matches = signatureMatches(signingKey, fields, method, canonicalUri, unsigned, canonicalHeaders,
                payloadHash);
        if (!matches && token != null) {
            // AWS IoT Core wants the token appended after signing; a signer that put it in the canonical query
            // (as SigV4 query signing for other services does) makes a URL IoT refuses. Say so precisely.
            unsigned.add(new QueryParameter(TOKEN_PARAMETER, token));
            boolean matchesWithSignedToken = signatureMatches(signingKey, fields, method, canonicalUri, unsigned,
                    canonicalHeaders, payloadHash);
            if (matchesWithSignedToken && !signedTokenAllowed) {
                return new Refused(Reason.TOKEN_SIGNED, "X-Amz-Security-Token is inside the canonical query;"
                        + " AWS IoT Core accepts a presigned URL only with the token appended after signing");
            }
            matches = matchesWithSignedToken;
        }
        if (!matches) {
            return signatureMismatch(fields);
        }
        return checkToken(identity.get(), fields.accessKeyId(), Optional.ofNullable(token));
    }

    private Verification checkHeaderSigned(String method, String rawPath, String rawQuery,
            Iterable<Map.Entry<String, String>> headers, byte[] body) {
        checkRequestLine(method, rawPath, headers, body);
        if (rawQuery.length() > MAX_QUERY_CHARS) {
            throw malformed("the query has " + rawQuery.length() + " characters; at most " + MAX_QUERY_CHARS
                    + " are accepted");
        }
        String authorization = singleHeader(headers, "authorization", true);
        String amzDate = singleHeader(headers, "x-amz-date", true);
        String token = singleHeader(headers, "x-amz-security-token", false);
        String contentSha256 = singleHeader(headers, CONTENT_SHA256, false);
        AuthorizationHeader parsed = AuthorizationHeader.parse(authorization);

        SignedFields fields = parseFields(parsed.credential, amzDate, parsed.signedHeaders, parsed.signature,
                "Authorization ");
        Optional<AwsCredentialsIdentity> identity = lookup(fields.accessKeyId());
        if (identity.isEmpty()) {
            return unknownKey(fields.accessKeyId());
        }
        Optional<Refused> outOfScopeOrTime = checkScopeAndTime(fields, Optional.empty());
        if (outOfScopeOrTime.isPresent()) {
            return outOfScopeOrTime.get();
        }

        String payloadHash = SigV4Crypto.sha256Hex(body);
        if (contentSha256 != null && !payloadHash.equals(contentSha256)) {
            return new Refused(Reason.SIGNATURE_MISMATCH, "the x-amz-content-sha256 header is not the SHA-256"
                    + " of the body");
        }
        CanonicalHeaders canonicalHeaders = Canonicalizer.canonicalHeaders(headers, fields.signedHeaderNames());
        String canonicalUri = Canonicalizer.canonicalUri(rawPath, normalizePath);
        List<QueryParameter> parameters = Canonicalizer.parseQuery(rawQuery);
        boolean matches = signatureMatches(signingKey(identity.get(), fields), fields, method, canonicalUri,
                parameters, canonicalHeaders, payloadHash);
        if (!matches) {
            return signatureMismatch(fields);
        }
        return checkToken(identity.get(), fields.accessKeyId(), Optional.ofNullable(token));
    }

    private static void checkRequestLine(String method, String rawPath,
            Iterable<Map.Entry<String, String>> headers, byte[] body) {
        Objects.requireNonNull(headers, "headers");
        Objects.requireNonNull(body, "body");
        if (method == null || method.isEmpty()) {
            throw malformed("the HTTP method is missing");
        }
        if (rawPath == null || rawPath.isEmpty()) {
            throw malformed("the request path is missing");
        }
        if (rawPath.length() > MAX_PATH_CHARS) {
            throw malformed("the path has " + rawPath.length() + " characters; at most " + MAX_PATH_CHARS
                    + " are accepted");
        }
    }

    private Optional<AwsCredentialsIdentity> lookup(String accessKeyId) {
        Optional<AwsCredentialsIdentity> identity = credentials.apply(accessKeyId);
        return identity == null ? Optional.empty() : identity;
    }

    private SecretKeySpec signingKey(AwsCredentialsIdentity identity, SignedFields fields) {
        return signingKeys.signingKey(identity.secretAccessKey(), fields.scopeDate(), region, service);
    }

    private Optional<Refused> checkScopeAndTime(SignedFields fields, Optional<Long> expiresSeconds) {
        if (!region.equals(fields.scopeRegion())) {
            return Optional.of(new Refused(Reason.SCOPE_REGION, "the credential scope names region "
                    + quote(fields.scopeRegion()) + "; this endpoint is in " + region));
        }
        if (!service.equals(fields.scopeService())) {
            return Optional.of(new Refused(Reason.SCOPE_SERVICE, "the credential scope names service "
                    + quote(fields.scopeService()) + "; this endpoint is " + service));
        }
        if (!fields.amzDate().startsWith(fields.scopeDate())) {
            return Optional.of(new Refused(Reason.SCOPE_DATE, "the credential scope date " + fields.scopeDate()
                    + " is not the date of X-Amz-Date " + fields.amzDate()));
        }
        Instant now = clock.instant();
        Instant signedAt = fields.signedAt();
        if (expiresSeconds.isPresent()) {
            Instant expiresAt = signedAt.plusSeconds(expiresSeconds.get());
            if (now.isAfter(expiresAt)) {
                return Optional.of(new Refused(Reason.EXPIRED, "the presigned URL expired at " + expiresAt
                        + " (X-Amz-Date " + fields.amzDate() + " plus X-Amz-Expires " + expiresSeconds.get()
                        + " s); it is now " + now));
            }
            if (signedAt.isAfter(now.plus(maxDateSkew))) {
                return Optional.of(skew(fields, now));
            }
        } else if (signedAt.isAfter(now.plus(maxDateSkew)) || signedAt.isBefore(now.minus(maxDateSkew))) {
            return Optional.of(skew(fields, now));
        }
        return Optional.empty();
    }

    private Refused skew(SignedFields fields, Instant now) {
        return new Refused(Reason.DATE_SKEW, "X-Amz-Date " + fields.amzDate() + " is more than "
                + maxDateSkew.toSeconds() + " s from the current time " + now);
    }

    private boolean signatureMatches(SecretKeySpec signingKey, SignedFields fields, String method,
            String canonicalUri, List<QueryParameter> parameters, CanonicalHeaders canonicalHeaders,
            String payloadHash) {
        String canonicalRequest = Canonicalizer.canonicalRequest(method, canonicalUri,
                Canonicalizer.canonicalQuery(parameters), canonicalHeaders.block(), canonicalHeaders.signedHeaders(),
                payloadHash);
        String stringToSign = Canonicalizer.stringToSign(fields.amzDate(), fields.scope(),
                SigV4Crypto.sha256Hex(canonicalRequest));
        byte[] expected = SigV4Crypto.signature(signingKey, stringToSign);
        return MessageDigest.isEqual(expected, fields.signature());
    }

    private static Refused signatureMismatch(SignedFields fields) {
        return new Refused(Reason.SIGNATURE_MISMATCH, "signature " + HexFormat.of().formatHex(fields.signature())
                + " is not the one access key id " + fields.accessKeyId() + " gives for this request");
    }

    private static Refused unknownKey(String accessKeyId) {
        return new Refused(Reason.UNKNOWN_ACCESS_KEY, "access key id " + quote(accessKeyId) + " is not known");
    }

    private static Verification checkToken(AwsCredentialsIdentity identity, String accessKeyId,
            Optional<String> token) {
        Optional<String> issued = identity instanceof AwsSessionCredentialsIdentity session
                ? Optional.ofNullable(session.sessionToken()).filter(t -> !t.isEmpty())
                : Optional.empty();
        if (issued.isPresent() && token.isEmpty()) {
            return new Refused(Reason.TOKEN_MISMATCH, "access key id " + accessKeyId + " is temporary and needs"
                    + " its session token in X-Amz-Security-Token; the request has none");
        }
        if (issued.isEmpty() && token.isPresent()) {
            return new Refused(Reason.TOKEN_MISMATCH, "the request carries X-Amz-Security-Token, but access key"
                    + " id " + accessKeyId + " has no session token");
        }
        if (issued.isPresent() && !MessageDigest.isEqual(issued.get().getBytes(StandardCharsets.UTF_8),
                token.get().getBytes(StandardCharsets.UTF_8))) {
            return new Refused(Reason.TOKEN_MISMATCH, "X-Amz-Security-Token is not the session token issued"
                    + " with access key id " + accessKeyId);
        }
        return new Accepted(accessKeyId, token);
    }

    private static SignedFields parseFields(String credential, String amzDate, String signedHeaders,
            String signature, String where) {
        String[] scope = credential.split("/", -1);
        if (scope.length != 5 || scope[0].isEmpty() || scope[2].isEmpty() || scope[3].isEmpty()) {
            throw malformed(where + "X-Amz-Credential must be <access key id>/<yyyyMMdd>/<region>/<service>/"
                    + Canonicalizer.SCOPE_TERMINATOR + ", was " + quote(credential));
        }
        if (!Canonicalizer.SCOPE_TERMINATOR.equals(scope[4])) {
            throw malformed(where + "X-Amz-Credential must end in /" + Canonicalizer.SCOPE_TERMINATOR + ", was "
                    + quote(credential));
        }
        if (scope[1].length() != 8 || AmzDate.parse(scope[1] + "T000000Z").isEmpty()) {
            throw malformed(where + "X-Amz-Credential has scope date " + quote(scope[1])
                    + "; it must be a date as yyyyMMdd");
        }
        Instant signedAt = AmzDate.parse(amzDate).orElseThrow(() -> malformed("X-Amz-Date " + quote(amzDate)
                + " is not a time as yyyyMMdd'T'HHmmss'Z'"));
        byte[] signatureBytes = parseSignature(signature);
        List<String> names = parseSignedHeaders(signedHeaders);
        return new SignedFields(scope[0], scope[1], scope[2], scope[3], credential.substring(scope[0].length() + 1),
                amzDate, signedAt, signatureBytes, names);
    }

    private static byte[] parseSignature(String signature) {
        boolean valid = signature.length() == SIGNATURE_HEX_LENGTH;
        for (int i = 0; valid && i < signature.length(); i++) {
            char c = signature.charAt(i);
            valid = c >= '0' && c <= '9' || c >= 'a' && c <= 'f';
        }
        if (!valid) {
            throw malformed("the signature must be 64 lower-case hex digits, was " + quote(signature));
        }
        return HexFormat.of().parseHex(signature);
    }

    private static List<String> parseSignedHeaders(String signedHeaders) {
        String[] names = signedHeaders.split(";", -1);
        if (names.length > MAX_SIGNED_HEADERS) {
            throw malformed("SignedHeaders lists " + names.length + " headers; at most " + MAX_SIGNED_HEADERS
                    + " are accepted");
        }
        List<String> list = new ArrayList<>(names.length);
        String previous = "";
        for (String name : names) {
            // SigV4 lists signed headers lower-cased and sorted, each once.
            if (name.isEmpty() || !name.equals(name.toLowerCase(Locale.ROOT)) || name.compareTo(previous) <= 0) {
                throw malformed("SignedHeaders must be distinct lower-case header names, sorted and separated"
                        + " by ';', was " + quote(signedHeaders));
            }
            list.add(name);
            previous = name;
        }
        if (!list.contains("host")) {
            throw malformed("SignedHeaders must include host, was " + quote(signedHeaders));
        }
        return list;
    }

    private static void checkAlgorithm(String algorithm, String where) {
        if (!Canonicalizer.ALGORITHM.equals(algorithm)) {
            throw malformed(where + " is " + quote(algorithm) + "; only " + Canonicalizer.ALGORITHM
                    + " is accepted");
        }
    }

    private static long parseExpires(String expires) {
        boolean digits = !expires.isEmpty() && expires.length() <= 6;
        for (int i = 0; digits && i < expires.length(); i++) {
            digits = expires.charAt(i) >= '0' && expires.charAt(i) <= '9';
        }
        long seconds = digits ? Long.parseLong(expires) : -1;
        if (seconds < 1 || seconds > MAX_EXPIRES_SECONDS) {
            throw malformed("X-Amz-Expires must be whole seconds from 1 to " + MAX_EXPIRES_SECONDS + ", was "
                    + quote(expires));
        }
        return seconds;
    }

    private static String single(List<QueryParameter> parameters, String name, boolean required) {
        String found = null;
        for (QueryParameter parameter : parameters) {
            if (name.equals(parameter.name())) {
                if (found != null) {
                    throw malformed("query parameter " + name + " appears more than once");
                }
                found = parameter.value();
            }
        }
        if (found == null && required) {
            throw malformed("query parameter " + name + " is missing");
        }
        return found;
    }

    private static String singleHeader(Iterable<Map.Entry<String, String>> headers, String name,
            boolean required) {
        String found = null;
        for (Map.Entry<String, String> header : headers) {
            if (name.equalsIgnoreCase(header.getKey())) {
                if (found != null) {
                    throw malformed("header " + name + " appears more than once");
                }
                found = header.getValue() == null ? "" : header.getValue().trim();
            }
        }
        if (found == null && required) {
            throw malformed("header " + name + " is missing");
        }
        return found;
    }

    private static MalformedSigV4Input malformed(String message) {
        return new MalformedSigV4Input(message);
    }

    /** Quotes a received value for a message, shortened and with control characters replaced. */
    static String quote(String value) {
        if (value == null) {
            return "none";
        }
        StringBuilder out = new StringBuilder("'");
        int shown = Math.min(value.length(), QUOTE_LIMIT);
        for (int i = 0; i < shown; i++) {
            char c = value.charAt(i);
            out.append(c < 0x20 || c == 0x7F ? '?' : c);
        }
        if (value.length() > QUOTE_LIMIT) {
            out.append("...' (").append(value.length()).append(" characters)");
        } else {
            out.append('\'');
        }
        return out.toString();
    }

    /** The parts of a signature that both signing locations share, parsed. */
    private record SignedFields(String accessKeyId, String scopeDate, String scopeRegion, String scopeService,
            String scope, String amzDate, Instant signedAt, byte[] signature, List<String> signedHeaderNames) {
    }

    /**
     * {@code AWS4-HMAC-SHA256 Credential=..., SignedHeaders=..., Signature=...}: the three components once each,
     * in any order, separated by commas and optional spaces.
     */
    private static final class AuthorizationHeader {
        private String credential;
        private String signedHeaders;
        private String signature;

        static AuthorizationHeader parse(String value) {
            if (value.length() > MAX_AUTHORIZATION_CHARS) {
                throw malformed("the Authorization header has " + value.length() + " characters; at most "
                        + MAX_AUTHORIZATION_CHARS + " are accepted");
            }
            int space = value.indexOf(' ');
            checkAlgorithm(space < 0 ? value : value.substring(0, space), "the Authorization header's algorithm");
            AuthorizationHeader header = new AuthorizationHeader();
            for (String component : value.substring(space + 1).split(",", -1)) {
                String trimmed = component.trim();
                int equals = trimmed.indexOf('=');
                String name = equals < 0 ? trimmed : trimmed.substring(0, equals);
                String componentValue = equals < 0 ? "" : trimmed.substring(equals + 1);
                switch (name) {
                    case "Credential" -> header.credential = once(header.credential, name, componentValue);
                    case "SignedHeaders" -> header.signedHeaders = once(header.signedHeaders, name, componentValue);
                    case "Signature" -> header.signature = once(header.signature, name, componentValue);
                    default -> throw malformed("the Authorization header has an unknown component " + quote(name)
                            + "; only Credential, SignedHeaders and Signature are allowed");
                }
            }
            if (header.credential == null || header.signedHeaders == null || header.signature == null) {
                throw malformed("the Authorization header needs Credential, SignedHeaders and Signature");
            }
            return header;
        }

        private static String once(String existing, String name, String value) {
            if (existing != null) {
                throw malformed("the Authorization header has " + name + " more than once");
            }
            return value;
        }
    }

    /** Builds a {@link SigV4Verifier}; every setter checks its argument at once. */
    public static final class Builder {
        private Function<String, Optional<AwsCredentialsIdentity>> credentials;
        private String region;
        private String service;
        private Clock clock = Clock.systemUTC();
        private Duration maxDateSkew = Duration.ofMinutes(5);
        private boolean normalizePath = true;
        private boolean signedTokenAllowed;

        private Builder() {
        }

        /**
         * Finds the secret (and, for temporary credentials, the session token) of an access key id. An
         * {@link AwsSessionCredentialsIdentity} means the request must carry exactly that token; any other
         * identity means it must carry none. Called on the verifying thread: it must not block.
         */
        public Builder credentials(Function<String, Optional<AwsCredentialsIdentity>> lookup) {
            this.credentials = Objects.requireNonNull(lookup, "credentials lookup");
            return this;
        }

        /** The region this endpoint serves, such as {@code us-east-1}. */
        public Builder region(String region) {
            this.region = Regions.checked(region);
            return this;
        }

        /** The SigV4 service name this endpoint answers to, such as {@code iotdevicegateway} or {@code sts}. */
        public Builder service(String service) {
            this.service = Regions.checkedService(service);
            return this;
        }

        /** Where the current time comes from; {@link Clock#systemUTC()} by default. */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /**
         * How far X-Amz-Date may be from the clock: 5 minutes by default, as AWS allows.
         *
         * @throws IllegalArgumentException when negative or more than one hour
         */
        public Builder maxDateSkew(Duration skew) {
            Objects.requireNonNull(skew, "maxDateSkew");
            if (skew.isNegative() || skew.compareTo(Duration.ofHours(1)) > 0) {
                throw new IllegalArgumentException("maxDateSkew " + skew + " is not allowed: use 0 to 1 hour;"
                        + " AWS uses 5 minutes");
            }
            this.maxDateSkew = skew;
            return this;
        }

        /**
         * Whether to remove {@code .}, {@code ..} and repeated slashes from the path before building the
         * canonical URI; true by default, as every AWS service but S3 does.
         */
        public Builder normalizePath(boolean normalize) {
            this.normalizePath = normalize;
            return this;
        }

        /**
         * Whether a presigned URL may carry its session token inside the canonical query, as SigV4 query
         * signing for most services does. False by default: AWS IoT Core refuses such URLs, and so does this
         * verifier, with {@link Reason#TOKEN_SIGNED}.
         */
        public Builder allowSignedSessionToken(boolean allow) {
            this.signedTokenAllowed = allow;
            return this;
        }

        /**
         * @throws IllegalStateException when credentials, region or service is missing
         */
        public SigV4Verifier build() {
            if (credentials == null || region == null || service == null) {
                throw new IllegalStateException("credentials, region and service are required");
            }
            return new SigV4Verifier(this);
        }
    }
}
