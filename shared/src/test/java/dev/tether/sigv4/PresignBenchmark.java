package dev.tether.sigv4;

import java.net.URI;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;

/**
 * Presigned MQTT URLs per second and verifier checks per second, on one thread. The inputs match the Node
 * peer's bench-presign.js (same host, region, credentials and token; the system clock, so the signing key is
 * derived once a day as aws4 does). Run it with scripts/bench-presign.sh, not as a unit test.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Threads(1)
public class PresignBenchmark {
    private static final String HOST = "a1b2c3d4e5f6g7-ats.iot.us-east-1.amazonaws.com";
    private static final AwsSessionCredentials CREDENTIALS = AwsSessionCredentials.create("AKIDEXAMPLE",
            "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
            "IQoJb3JpZ2luX2VjEXAMPLE//////////wEaCXVzLWVhc3QtMSJHMEUCIQD+EXAMPLE/TOKEN=");

    private MqttUrlPresigner presigner;
    private SigV4Verifier verifier;
    private String path;
    private String query;

    /** Builds the presigner, and one URL the verifier checks again and again at its signing time. */
    @Setup
    public void setUp() {
        presigner = MqttUrlPresigner.builder().host(HOST).region("us-east-1").build();
        Instant signedAt = Instant.parse("2026-03-14T15:09:26Z");
        URI url = URI.create(MqttUrlPresigner.builder().host(HOST).region("us-east-1")
                .clock(Clock.fixed(signedAt, ZoneOffset.UTC)).build().presign(CREDENTIALS));
        path = url.getRawPath();
        query = url.getRawQuery();
        verifier = SigV4Verifier.builder()
                .credentials(id -> Optional.of(CREDENTIALS))
                .region("us-east-1")
                .service(MqttUrlPresigner.SERVICE)
                .clock(Clock.fixed(signedAt, ZoneOffset.UTC))
                .build();
    }

    /** One presigned URL with the session token appended. */
    @Benchmark
    public String presign() {
        return presigner.presign(CREDENTIALS);
    }

    /** One full verification of a presigned URL (parse, scope, time, signature, token). */
    @Benchmark
    public boolean verify() {
        return verifier.verifyPresignedUrl(path, query, HOST).isAccepted();
    }
}
