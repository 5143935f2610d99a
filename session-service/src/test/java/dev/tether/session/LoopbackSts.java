package dev.tether.session;

import dev.tether.sigv4.SigV4Verifier;
import dev.tether.sigv4.Verification;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;

/**
 * An STS AssumeRole endpoint on loopback for the real SDK {@code StsClient}: it checks each request's SigV4
 * signature against the service's credentials, records the form parameters, and answers in the AWS Query protocol's
 * XML, an error, or not yet ({@link Mode#HOLD}, until {@link #release()}).
 */
final class LoopbackSts {
    static final AwsBasicCredentials SERVICE_CREDENTIALS =
            AwsBasicCredentials.create("AKIDSERVICE0000000001", "service-secret-0123456789abcdefghijklmnop");

    enum Mode { ANSWER, SERVER_ERROR, ACCESS_DENIED, HOLD }

    private final HttpServer server;
    private final Clock clock;
    private final List<Map<String, String>> calls = new CopyOnWriteArrayList<>();
    private final Map<String, String> secretsByAccessKey = new ConcurrentHashMap<>();
    private final List<Runnable> held = new CopyOnWriteArrayList<>();
    private final SigV4Verifier verifier;
    private volatile Mode mode = Mode.ANSWER;
    private volatile Promise<Void> firstHeld = Promise.promise();

    private LoopbackSts(Vertx vertx, Clock clock) {
        this.clock = clock;
        this.verifier = SigV4Verifier.builder()
                .credentials(id -> id.equals(SERVICE_CREDENTIALS.accessKeyId())
                        ? Optional.<AwsCredentialsIdentity>of(SERVICE_CREDENTIALS) : Optional.empty())
                .region("us-east-1")
                .service("sts")
                // The SDK signs with the system clock, whatever clock the service under test runs on.
                .clock(Clock.systemUTC())
                .build();
        this.server = vertx.createHttpServer()
                .requestHandler(this::handle);
    }

    static Future<LoopbackSts> start(Vertx vertx, Clock clock) {
        LoopbackSts sts = new LoopbackSts(vertx, clock);
        return sts.server.listen(0, "127.0.0.1")
                .map(listening -> sts);
    }

    URI endpoint() {
        return URI.create("http://127.0.0.1:" + server.actualPort());
    }

    void mode(Mode newMode) {
        this.mode = newMode;
    }

    /** Form parameters of each AssumeRole call received, in order. */
    List<Map<String, String>> calls() {
        return calls;
    }

    /** The secret STS issued with an access key id, as IAM would know it. */
    Optional<String> secretOf(String accessKeyId) {
        return Optional.ofNullable(secretsByAccessKey.get(accessKeyId));
    }

    /** Completes when a request is first held. */
    Future<Void> held() {
        return firstHeld.future();
    }

    /** Answers every held request. */
    void release() {
        held.forEach(Runnable::run);
        held.clear();
    }

    Future<Void> close() {
        return server.close();
    }

    private void handle(HttpServerRequest request) {
        request.body()
                .onSuccess(body -> answer(request, body));
    }

    private void answer(HttpServerRequest request, Buffer body) {
        HttpServerResponse response = request.response();
        Verification verification = verifier.verifyHeaderSigned(request.method().name(), request.path(),
                request.query(), request.headers(), body.getBytes());
        if (!verification.isAccepted()) {
            response.setStatusCode(403).end(error("Sender", "SignatureDoesNotMatch", verification.toString()));
            return;
        }
        Map<String, String> form = parse(body.toString(StandardCharsets.UTF_8));
        calls.add(form);
        switch (mode) {
            case SERVER_ERROR -> response.setStatusCode(500)
                    .end(error("Receiver", "InternalFailure", "down"));
            case ACCESS_DENIED -> response.setStatusCode(403)
                    .end(error("Sender", "AccessDenied", "not authorized to perform sts:AssumeRole"));
            case HOLD -> {
                held.add(() -> response.end(credentials(form)));
                firstHeld.tryComplete();
            }
            default -> response.end(credentials(form));
        }
    }

    private String credentials(Map<String, String> form) {
        String accessKeyId = "ASIA" + UUID.randomUUID().toString().replace("-", "").substring(0, 16)
                .toUpperCase(Locale.ROOT);
        String secret = UUID.randomUUID().toString();
        secretsByAccessKey.put(accessKeyId, secret);
        long seconds = Long.parseLong(form.getOrDefault("DurationSeconds", "3600"));
        return "<AssumeRoleResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\"><AssumeRoleResult>"
                + "<Credentials><AccessKeyId>" + accessKeyId + "</AccessKeyId><SecretAccessKey>" + secret
                + "</SecretAccessKey><SessionToken>token/" + accessKeyId + "+=</SessionToken><Expiration>"
                + clock.instant().plus(Duration.ofSeconds(seconds)) + "</Expiration></Credentials>"
                + "<AssumedRoleUser><AssumedRoleId>AROAEXAMPLE:" + form.get("RoleSessionName")
                + "</AssumedRoleId><Arn>" + form.get("RoleArn") + "</Arn></AssumedRoleUser></AssumeRoleResult>"
                + "<ResponseMetadata><RequestId>" + UUID.randomUUID() + "</RequestId></ResponseMetadata>"
                + "</AssumeRoleResponse>";
    }

    private static String error(String type, String code, String message) {
        return "<ErrorResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\"><Error><Type>" + type
                + "</Type><Code>" + code + "</Code><Message>" + message + "</Message></Error>"
                + "<RequestId>" + UUID.randomUUID() + "</RequestId></ErrorResponse>";
    }

    private static Map<String, String> parse(String form) {
        Map<String, String> parameters = new LinkedHashMap<>();
        for (String pair : form.split("&")) {
            String[] nameAndValue = pair.split("=", 2);
            parameters.put(URLDecoder.decode(nameAndValue[0], StandardCharsets.UTF_8),
                    nameAndValue.length > 1 ? URLDecoder.decode(nameAndValue[1], StandardCharsets.UTF_8) : "");
        }
        return parameters;
    }
}
