package dev.tether.local.iot;

import dev.tether.local.TestStandIns;
import dev.tether.local.TestStandIns.Client;
import dev.tether.local.TestStandIns.Received;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.identity.spi.AwsSessionCredentialsIdentity;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.model.Credentials;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static dev.tether.local.TestStandIns.EXPECTED;
import static dev.tether.local.TestStandIns.FULL;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * mqtt.js, the client library of the original pattern, connects through a presigned URL carrying a session token,
 * subscribes and exchanges QoS 1 messages with Eclipse Paho. The test installs mqtt.js itself with {@code npm ci}
 * from the committed lockfile into {@code target/node-interop}, so a fresh machine needs only node and npm.
 */
@ExtendWith(VertxExtension.class)
class MqttJsInteropIT {
    private static final Path SOURCES = Path.of("src/test/node");
    private static final Path WORK = Path.of("target/node-interop");

    private TestStandIns standIns;

    @BeforeAll
    static void installMqttJs() throws Exception {
        Files.createDirectories(WORK);
        for (String file : List.of("package.json", "package-lock.json", "interop.mjs")) {
            Files.copy(SOURCES.resolve(file), WORK.resolve(file), StandardCopyOption.REPLACE_EXISTING);
        }
        if (!Files.isDirectory(WORK.resolve("node_modules/mqtt"))) {
            Process npm = new ProcessBuilder("npm", "ci", "--no-audit", "--no-fund")
                    .directory(WORK.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(WORK.resolve("npm-ci.log").toFile())
                    .start();
            assertThat(npm.waitFor(5, TimeUnit.MINUTES)).as("npm ci finished").isTrue();
            assertThat(npm.exitValue()).as("npm ci exit code, see " + WORK.resolve("npm-ci.log")).isZero();
        }
    }

    @BeforeEach
    void start(Vertx vertx) throws Exception {
        standIns = TestStandIns.start(vertx);
    }

    @Test
    @DisplayName("mqtt.js and Paho exchange QoS 1 messages through the broker")
    void exchangeQos1() throws Exception {
        Credentials credentials;
        try (StsClient sts = StsClient.builder()
                .endpointOverride(URI.create("http://127.0.0.1:" + standIns.aws().httpPort()))
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(
                        FULL.accessKeyId(), FULL.secretAccessKey())))
                .httpClient(UrlConnectionHttpClient.create())
                .build()) {
            credentials = sts.assumeRole(r -> r
                    .roleArn(TestStandIns.CLIENT_ROLE)
                    .roleSessionName("mqttjs")).credentials();
        }
        String url = standIns.url(AwsSessionCredentialsIdentity.create(credentials.accessKeyId(),
                credentials.secretAccessKey(), credentials.sessionToken()));

        try (Client paho = standIns.connect("paho", standIns.url(FULL))) {
            paho.subscribe("interop/to-paho");
            Process node = new ProcessBuilder("node", "interop.mjs", url, "mqttjs", "interop/to-node",
                    "interop/to-paho")
                    .directory(WORK.toFile())
                    .redirectErrorStream(true)
                    .start();
            BlockingQueue<JsonObject> steps = follow(node);
            try {
                JsonObject subscribed = next(steps);
                assertThat(subscribed.getString("step")).isEqualTo("subscribed");
                assertThat(subscribed.getJsonArray("granted").getList()).containsExactly(1);

                paho.publish("interop/to-node", "hello node", 1);
                JsonObject received = next(steps);
                assertThat(received.getString("step")).isEqualTo("received");
                assertThat(received.getString("payload")).isEqualTo("hello node");
                assertThat(received.getInteger("qos")).isEqualTo(1);

                Received reply = paho.next();
                assertThat(reply.payload()).isEqualTo("reply to hello node");
                assertThat(reply.qos()).isEqualTo(1);
                assertThat(next(steps).getString("step")).isEqualTo("published");
                assertThat(node.waitFor(EXPECTED.toSeconds(), TimeUnit.SECONDS)).isTrue();
                assertThat(node.exitValue()).isZero();
            } finally {
                node.destroy();
            }
        }
    }

    private static BlockingQueue<JsonObject> follow(Process node) {
        BlockingQueue<JsonObject> steps = new LinkedBlockingQueue<>();
        Thread reader = new Thread(() -> {
            try (BufferedReader lines = new BufferedReader(new InputStreamReader(node.getInputStream(),
                    StandardCharsets.UTF_8))) {
                String line;
                while ((line = lines.readLine()) != null) {
                    steps.add(line.startsWith("{") ? new JsonObject(line)
                            : new JsonObject().put("step", "output").put("message", line));
                }
            } catch (IOException e) {
                steps.add(new JsonObject().put("step", "error").put("message", e.toString()));
            }
        }, "mqttjs-output");
        reader.setDaemon(true);
        reader.start();
        return steps;
    }

    private static JsonObject next(BlockingQueue<JsonObject> steps) throws InterruptedException {
        JsonObject step = steps.poll(EXPECTED.toMillis(), TimeUnit.MILLISECONDS);
        assertThat(step).as("mqtt.js reported a step in time").isNotNull();
        return step;
    }
}
