package dev.tether.local;

import dev.tether.local.config.LocalConfig;
import dev.tether.local.config.StaticKey;
import dev.tether.local.iam.Policy;
import dev.tether.local.iot.BrokerSettings;
import dev.tether.sigv4.MqttUrlPresigner;
import io.vertx.core.Vertx;
import org.eclipse.paho.client.mqttv3.IMqttDeliveryToken;
import org.eclipse.paho.client.mqttv3.MqttAsyncClient;
import org.eclipse.paho.client.mqttv3.MqttCallback;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;

import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Starts the stand-ins on ephemeral ports with test keys, and connects Eclipse Paho clients to them through
 * presigned URLs. Blocking helpers: call from the test thread, never from an event loop.
 */
public final class TestStandIns {
    /** May do every IoT action and assume any role. */
    public static final AwsCredentialsIdentity FULL = AwsCredentialsIdentity.create("AKIATESTFULL00000001",
            "test-full-secret");
    /**
     * May connect as {@code narrow-*}, publish to {@code allowed/*}, subscribe to {@code allowed/*} and receive
     * {@code allowed/*}, but is explicitly denied receiving {@code allowed/secret}.
     */
    public static final AwsCredentialsIdentity NARROW = AwsCredentialsIdentity.create("AKIATESTNARROW000001",
            "test-narrow-secret");
    /** The role the STS tests assume. */
    public static final String CLIENT_ROLE = "arn:aws:iam::000000000000:role/tether-client";
    /** How long a test waits for something that should happen. */
    public static final Duration EXPECTED = Duration.ofSeconds(10);
    /** How long a test waits to show that something does not happen. */
    public static final Duration ABSENT = Duration.ofMillis(700);

    private static final String NARROW_POLICY = """
            {"Version": "2012-10-17", "Statement": [
              {"Effect": "Allow", "Action": "iot:Connect",
               "Resource": "arn:aws:iot:us-east-1:000000000000:client/narrow-*"},
              {"Effect": "Allow", "Action": ["iot:Publish", "iot:Receive"],
               "Resource": "arn:aws:iot:us-east-1:000000000000:topic/allowed/*"},
              {"Effect": "Allow", "Action": "iot:Subscribe",
               "Resource": "arn:aws:iot:us-east-1:000000000000:topicfilter/allowed/*"},
              {"Effect": "Deny", "Action": "iot:Receive",
               "Resource": "arn:aws:iot:us-east-1:000000000000:topic/allowed/secret"}
            ]}""";

    private final LocalAws aws;
    private final Clock clock;

    private TestStandIns(LocalAws aws, Clock clock) {
        this.aws = aws;
        this.clock = clock;
    }

    /** Deploys the stand-ins on ephemeral ports with AWS's keep-alive floor. */
    public static TestStandIns start(Vertx vertx) throws Exception {
        return start(vertx, 30);
    }

    /** Deploys the stand-ins on ephemeral ports, honouring keep-alive values down to the given floor. */
    public static TestStandIns start(Vertx vertx, int minKeepAliveSeconds) throws Exception {
        return start(vertx, LocalConfig.defaults().broker().withMinKeepAliveSeconds(minKeepAliveSeconds),
                Clock.systemUTC());
    }

    /** Deploys the stand-ins with these broker settings on an ephemeral port, judging time by the clock. */
    public static TestStandIns start(Vertx vertx, BrokerSettings settings, Clock clock) throws Exception {
        return startOn(vertx, settings.withPort(0), clock);
    }

    /** Deploys the stand-ins with these broker settings, on the port they name, judging time by the clock. */
    public static TestStandIns startOn(Vertx vertx, BrokerSettings broker, Clock clock) throws Exception {
        LocalConfig defaults = LocalConfig.defaults();
        Policy everything = Policy.allowing(List.of("iot:*", "sts:AssumeRole"), List.of("*"));
        LocalConfig config = new LocalConfig(broker, 0,
                List.of(new StaticKey("full", FULL.accessKeyId(), FULL.secretAccessKey(), everything),
                        new StaticKey("narrow", NARROW.accessKeyId(), NARROW.secretAccessKey(),
                                Policy.parse(NARROW_POLICY))),
                defaults.roles());
        LocalAws aws = new LocalAws(config, clock);
        vertx.deployVerticle(aws).await(EXPECTED.toSeconds(), TimeUnit.SECONDS);
        return new TestStandIns(aws, clock);
    }

    /** The deployed stand-ins. */
    public LocalAws aws() {
        return aws;
    }

    /** A presigned {@code ws://} URL for the broker, signed now. */
    public String url(AwsCredentialsIdentity credentials) {
        return presigner(clock, "us-east-1").presign(credentials);
    }

    /** A presigner for the broker with another clock or region. */
    public MqttUrlPresigner presigner(Clock signingClock, String region) {
        return MqttUrlPresigner.builder()
                .scheme("ws")
                .host("127.0.0.1:" + aws.brokerPort())
                .region(region)
                .clock(signingClock)
                .build();
    }

    /** Connects a Paho client with clean session and keep-alive 60 s. */
    public Client connect(String clientId, String url) throws MqttException {
        return connect(clientId, url, true);
    }

    /** A Paho client not yet connected, for tests that set it up first (manual acknowledgements). */
    public Client client(String clientId, String url) throws MqttException {
        return new Client(clientId, url);
    }

    /** Connects a Paho client; throws when the broker refuses. */
    public Client connect(String clientId, String url, boolean cleanSession) throws MqttException {
        Client client = new Client(clientId, url);
        try {
            client.connect(cleanSession);
        } catch (MqttException e) {
            if (!(e.getCause() instanceof SocketTimeoutException)) {
                throw e;
            }
            // Paho gives the WebSocket upgrade answer a fixed 1 s read timeout, which the first connection to a
            // freshly started Vert.x instance can exceed on a loaded machine; one more try is what a user would do.
            client.paho.close(true);
            client = new Client(clientId, url);
            client.connect(cleanSession);
        }
        return client;
    }

    /** A received message. */
    public record Received(String topic, String payload, int qos, boolean duplicate, boolean retained, int id) {
    }

    /** A Paho client that records what it receives and when its connection is lost. */
    public static final class Client implements AutoCloseable {
        public final MqttAsyncClient paho;
        public final BlockingQueue<Received> received = new LinkedBlockingQueue<>();
        public final CompletableFuture<Throwable> lost = new CompletableFuture<>();

        Client(String clientId, String url) throws MqttException {
            paho = new MqttAsyncClient(url, clientId, new MemoryPersistence());
            paho.setCallback(new MqttCallback() {
                @Override
                public void connectionLost(Throwable cause) {
                    lost.complete(cause);
                }

                @Override
                public void messageArrived(String topic, MqttMessage message) {
                    received.add(new Received(topic, new String(message.getPayload(), StandardCharsets.UTF_8),
                            message.getQos(), message.isDuplicate(), message.isRetained(), message.getId()));
                }

                @Override
                public void deliveryComplete(IMqttDeliveryToken token) {
                }
            });
        }

        /** Whether the broker said in CONNACK that it kept a session for this client id. */
        public boolean sessionPresent;

        /** Connects with keep-alive 60 s; throws when the broker refuses. */
        public void connect(boolean cleanSession) throws MqttException {
            MqttConnectOptions options = new MqttConnectOptions();
            options.setCleanSession(cleanSession);
            options.setKeepAliveInterval(60);
            options.setAutomaticReconnect(false);
            options.setMqttVersion(MqttConnectOptions.MQTT_VERSION_3_1_1);
            var token = paho.connect(options);
            token.waitForCompletion(EXPECTED.toMillis());
            sessionPresent = token.getSessionPresent();
        }

        /** Subscribes and returns the granted QoS of each filter, 128 for a refusal. */
        public int[] subscribe(String... filters) throws MqttException {
            int[] qos = new int[filters.length];
            java.util.Arrays.fill(qos, 1);
            var token = paho.subscribe(filters, qos);
            token.waitForCompletion(EXPECTED.toMillis());
            return token.getGrantedQos();
        }

        /** Publishes and, for QoS 1, waits for PUBACK. */
        public void publish(String topic, String payload, int qos) throws MqttException {
            publish(topic, payload.getBytes(StandardCharsets.UTF_8), qos, false);
        }

        /** Publishes bytes and, for QoS 1, waits for PUBACK. */
        public void publish(String topic, byte[] payload, int qos, boolean retained) throws MqttException {
            var token = paho.publish(topic, payload, qos, retained);
            if (qos > 0) {
                token.waitForCompletion(EXPECTED.toMillis());
            }
        }

        /** The next message, waiting up to {@link #EXPECTED}; fails when none comes. */
        public Received next() throws InterruptedException {
            Received message = received.poll(EXPECTED.toMillis(), TimeUnit.MILLISECONDS);
            if (message == null) {
                throw new AssertionError("no message arrived within " + EXPECTED);
            }
            return message;
        }

        /** Whether a message arrives within {@link #ABSENT}. */
        public java.util.Optional<Received> nextWithin(Duration wait) throws InterruptedException {
            return java.util.Optional.ofNullable(received.poll(wait.toMillis(), TimeUnit.MILLISECONDS));
        }

        /** Waits for the broker to close the connection; fails when it stays open. */
        public Throwable awaitLost() throws Exception {
            return lost.get(EXPECTED.toMillis(), TimeUnit.MILLISECONDS);
        }

        @Override
        public void close() {
            try {
                if (paho.isConnected()) {
                    paho.disconnect().waitForCompletion(EXPECTED.toMillis());
                }
                paho.close(true);
            } catch (MqttException e) {
                // The test is over; a client that is already gone needs no cleanup.
            }
        }
    }
}
