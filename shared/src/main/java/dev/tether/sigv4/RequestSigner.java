package dev.tether.sigv4;

import dev.tether.sigv4.internal.Canonicalizer;
import java.io.ByteArrayInputStream;
import java.time.Clock;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4FamilyHttpSigner;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.SignedRequest;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;

/**
 * Signs HTTPS requests in the {@code Authorization} header with the AWS SDK's {@link AwsV4HttpSigner}, for
 * calls Tether makes without an SDK client, such as the IoT data-plane publish {@code POST /topics/{topic}}.
 *
 * <p>Returns only the headers to add, so a caller can put them on a Vert.x web client request without
 * building an SDK request. The signing time comes from the injected clock. Thread-safe; signing is CPU work
 * only (no I/O), so it may run on an event loop.
 */
public final class RequestSigner {
    /** The SigV4 service name of the AWS IoT data plane. */
    public static final String IOT_DATA_SERVICE = "iotdata";

    private static final AwsV4HttpSigner SIGNER = AwsV4HttpSigner.create();

    private final String region;
    private final String service;
    private final Clock clock;
    private final boolean normalizePath;

    /**
     * A signer for any SigV4 service.
     *
     * @param region the region, such as {@code us-east-1}
     * @param service the SigV4 service name, such as {@code iotdata} or {@code sts}
     * @param clock where the signing time comes from
     * @throws IllegalArgumentException when region or service is not a valid name
     */
    public RequestSigner(String region, String service, Clock clock) {
        this(region, service, clock, true);
    }

    RequestSigner(String region, String service, Clock clock, boolean normalizePath) {
        this.region = Regions.checked(region);
        this.service = Regions.checkedService(service);
        this.clock = Objects.requireNonNull(clock, "clock");
        this.normalizePath = normalizePath;
    }

    /** A signer for the AWS IoT data plane ({@code iotdata}) in a region. */
    public static RequestSigner forIotData(String region, Clock clock) {
        return new RequestSigner(region, IOT_DATA_SERVICE, clock);
    }

    /**
     * Signs {@code POST /topics/{encodedTopic}?qos=1} for the IoT data-plane Publish API.
     *
     * <p>The topic must already be percent-encoded as one path segment (RFC 3986): a {@code /} in the topic
     * as {@code %2F}, a space as {@code %20}; {@link #encodeTopic(String)} does it. Send the request to exactly
     * {@code "/topics/" + encodedTopic + "?qos=1"}, or the signature will not match.
     *
     * @param host the data-plane endpoint, such as {@code abc123-ats.iot.us-east-1.amazonaws.com}, with
     *        {@code :port} if not 443
     * @param encodedTopic the percent-encoded topic
     * @param payload the message body
     * @param credentials the identity to sign with; a session identity adds {@code X-Amz-Security-Token}
     * @return the headers to add: {@code Authorization}, {@code X-Amz-Date}, {@code X-Amz-Security-Token} when
     *         there is a token, and {@code x-amz-content-sha256} when the SDK adds it; immutable
     * @throws IllegalArgumentException when the host is invalid, or the topic is empty or not percent-encoded
     */
    public Map<String, String> signPublish(String host, String encodedTopic, byte[] payload,
            AwsCredentialsIdentity credentials) {
        HostNames.checked(host);
        checkEncodedTopic(encodedTopic);
        Objects.requireNonNull(payload, "payload");
        SdkHttpRequest.Builder request = SdkHttpRequest.builder()
                .method(SdkHttpMethod.POST)
                .protocol("https")
                .encodedPath("/topics/" + encodedTopic)
                .putRawQueryParameter("qos", "1")
                .putHeader("Host", host);
        int colon = host.lastIndexOf(':');
        if (colon > 0 && host.indexOf(']') < colon) {
            request.host(host.substring(0, colon)).port(Integer.parseInt(host.substring(colon + 1)));
        } else {
            request.host(host);
        }
        return sign(request.build(), payload, credentials);
    }

    /**
     * Signs any request in its headers.
     *
     * @param request the request as it will be sent, its path already percent-encoded
     * @param body the body
     * @param credentials the identity to sign with
     * @return the headers the signer added or changed, immutable, in the SDK's order
     */
    public Map<String, String> sign(SdkHttpRequest request, byte[] body, AwsCredentialsIdentity credentials) {
        Objects.requireNonNull(request, "request");
        Objects.requireNonNull(body, "body");
        Objects.requireNonNull(credentials, "credentials");
        SignedRequest signed = SIGNER.sign(r -> r
                .identity(credentials)
                .request(request)
                .payload(() -> new ByteArrayInputStream(body))
                .putProperty(AwsV4HttpSigner.REGION_NAME, region)
                .putProperty(AwsV4FamilyHttpSigner.SERVICE_SIGNING_NAME, service)
                .putProperty(AwsV4FamilyHttpSigner.AUTH_LOCATION, AwsV4FamilyHttpSigner.AuthLocation.HEADER)
                .putProperty(AwsV4FamilyHttpSigner.NORMALIZE_PATH, normalizePath)
                .putProperty(HttpSigner.SIGNING_CLOCK, clock));

        Map<String, String> added = new LinkedHashMap<>();
        for (Map.Entry<String, List<String>> header : signed.request().headers().entrySet()) {
            List<String> before = request.headers().get(header.getKey());
            if (!header.getValue().equals(before) && !header.getValue().isEmpty()) {
                added.put(header.getKey(), header.getValue().get(0));
            }
        }
        return Collections.unmodifiableMap(added);
    }

    /** Percent-encodes a topic as one path segment for {@link #signPublish}. */
    public static String encodeTopic(String topic) {
        Objects.requireNonNull(topic, "topic");
        return Canonicalizer.encodeRfc3986(topic);
    }

    private static void checkEncodedTopic(String encodedTopic) {
        if (encodedTopic == null || encodedTopic.isEmpty()) {
            throw new IllegalArgumentException("the topic is empty");
        }
        for (int i = 0; i < encodedTopic.length(); i++) {
            char c = encodedTopic.charAt(i);
            boolean unreserved = c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-'
                    || c == '.' || c == '_' || c == '~';
            boolean escape = c == '%' && i + 2 < encodedTopic.length()
                    && Character.digit(encodedTopic.charAt(i + 1), 16) >= 0
                    && Character.digit(encodedTopic.charAt(i + 2), 16) >= 0;
            if (!unreserved && !escape) {
                throw new IllegalArgumentException("topic '" + encodedTopic + "' is not percent-encoded at"
                        + " character " + (i + 1) + ": encode it with RequestSigner.encodeTopic, e.g. a/b as a%2Fb");
            }
        }
    }
}
