package dev.tether.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tether.local.LocalAws;
import dev.tether.local.config.LocalConfig;
import dev.tether.local.config.StaticKey;
import dev.tether.session.container.SessionMain;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import io.vertx.junit5.VertxExtension;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.eclipse.paho.client.mqttv3.IMqttDeliveryToken;
import org.eclipse.paho.client.mqttv3.IMqttToken;
import org.eclipse.paho.client.mqttv3.MqttAsyncClient;
import org.eclipse.paho.client.mqttv3.MqttCallback;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;

/**
 * Sessions from the container entrypoint, used against the local stand-in for AWS IoT Core and STS: the service
 * assumes the stand-in's client role through its STS with the real SDK client, and the broker checks each URL's
 * signature and enforces the session policy its credentials carry.
 *
 * <p>MQTT calls block this test thread (Eclipse Paho); no event loop waits.
 */
@ExtendWith(VertxExtension.class)
class SessionStandInIT {
    private static final Duration EXPECTED = Duration.ofSeconds(10);
    private static final Duration ABSENT = Duration.ofMillis(700);
    private static final int REFUSED = 0x80;

    private LocalAws aws;
    private StaticKey serviceKey;
    private SessionMain.Running running;
    private WebClient http;

    @BeforeEach
    void start(Vertx vertx) throws Exception {
        LocalConfig defaults = LocalConfig.defaults();
        LocalConfig config = new LocalConfig(defaults.broker().withPort(0), 0, defaults.keys(), defaults.roles());
        serviceKey = defaults.keys().get(0);
        aws = new LocalAws(config, Clock.systemUTC());
        vertx.deployVerticle(aws).await(EXPECTED.toSeconds(), TimeUnit.SECONDS);

        Map<String, String> env = new HashMap<>();
        env.put("AWS_REGION", "us-east-1");
        env.put("TETHER_ENDPOINT", "ws://127.0.0.1:" + aws.brokerPort() + "/mqtt");
        env.put("TETHER_CHANNEL_SECRET", "a-channel-secret-of-at-least-32-bytes!");
        env.put("TETHER_HTTP_PORT", "0");
        env.put("TETHER_CLIENT_ROLE_ARN", defaults.roles().get(0).arn());
        env.put("TETHER_SESSION_POOL_SIZE", "2");
        SessionService.Dependencies dependencies = new SessionService.Dependencies(
                StaticCredentialsProvider.create(AwsBasicCredentials.create(serviceKey.accessKeyId(),
                        serviceKey.secretAccessKey())),
                Optional.of(URI.create("http://127.0.0.1:" + aws.httpPort())), Clock.systemUTC());
        running = SessionMain.start(env, dependencies, "127.0.0.1", 1).await(EXPECTED.toSeconds(), TimeUnit.SECONDS);
        http = WebClient.create(vertx);
    }

    @AfterEach
    void stop() {
        running.stop();
    }

    private JsonObject openSession() throws Exception {
        var response = http.get(running.port(), "127.0.0.1", "/session")
                .send()
                .await(EXPECTED.toSeconds(), TimeUnit.SECONDS);
        assertThat(response.statusCode()).isEqualTo(200);
        return response.bodyAsJsonObject();
    }

    /** A service-side client signed with the service's own key, standing in for the responder. */
    private Client responder() throws MqttException {
        AwsCredentialsIdentity key = AwsCredentialsIdentity.create(serviceKey.accessKeyId(),
                serviceKey.secretAccessKey());
        String url = dev.tether.sigv4.MqttUrlPresigner.builder()
                .scheme("ws")
                .host("127.0.0.1:" + aws.brokerPort())
                .region("us-east-1")
                .build()
                .presign(key);
        return Client.connect("it-responder", url);
    }

    @Test
    @DisplayName("a session's URL is accepted by the broker, and its credentials exchange messages on their channel")
    void sessionWorksOnItsOwnChannel() throws Exception {
        JsonObject session = openSession();
        JsonObject topics = session.getJsonObject("topics");
        assertThat(session.getString("endpointUrl")).contains("X-Amz-Security-Token=");

        try (Client responder = responder();
                Client client = Client.connect(session.getString("clientId"), session.getString("endpointUrl"))) {
            assertThat(responder.subscribe(topics.getString("request"), topics.getString("session")))
                    .containsExactly(1, 1);
            assertThat(client.subscribe(topics.getString("response"))).containsExactly(1);

            client.publish(topics.getString("session"), new JsonObject()
                    .put("channelId", session.getString("channelId"))
                    .encode());
            client.publish(topics.getString("request"), "{\"id\":1}");
            assertThat(responder.next().topic()).isEqualTo(topics.getString("session"));
            assertThat(responder.next().topic()).isEqualTo(topics.getString("request"));
            responder.publish(topics.getString("response"), "{\"inReplyTo\":1,\"message\":\"PONG\"}");
            assertThat(client.next().payload()).isEqualTo("{\"inReplyTo\":1,\"message\":\"PONG\"}");
        }
    }

    @Test
    @DisplayName("a session's credentials may not subscribe to another channel's response topic, nor to the "
            + "session topic")
    void subscribingElsewhereIsRefused() throws Exception {
        JsonObject mine = openSession();
        JsonObject other = openSession();

        try (Client client = Client.connect(mine.getString("clientId"), mine.getString("endpointUrl"))) {
            assertThat(client.subscribe(other.getJsonObject("topics").getString("response"),
                    mine.getJsonObject("topics").getString("session"),
                    other.getJsonObject("topics").getString("request"),
                    "tether/#"))
                    .containsExactly(REFUSED, REFUSED, REFUSED, REFUSED);
        }
    }

    @Test
    @DisplayName("publishing to another channel's request topic is refused: the broker disconnects the client and "
            + "the message reaches no one")
    void publishingElsewhereIsRefused() throws Exception {
        JsonObject mine = openSession();
        JsonObject other = openSession();
        String otherRequest = other.getJsonObject("topics").getString("request");

        try (Client responder = responder();
                Client client = Client.connect(mine.getString("clientId"), mine.getString("endpointUrl"))) {
            responder.subscribe(otherRequest);
            client.paho.publish(otherRequest, "{\"id\":2}".getBytes(StandardCharsets.UTF_8), 1, false);

            assertThat(client.lost.get(EXPECTED.toMillis(), TimeUnit.MILLISECONDS)).isNotNull();
            assertThat(responder.received.poll(ABSENT.toMillis(), TimeUnit.MILLISECONDS)).isNull();
        }
    }

    @Test
    @DisplayName("a session's URL may not connect as another session's client id")
    void connectingAsAnotherClientIsRefused() throws Exception {
        JsonObject mine = openSession();
        JsonObject other = openSession();

        assertThatThrownBy(() -> Client.connect(other.getString("clientId"), mine.getString("endpointUrl")))
                .isInstanceOfSatisfying(MqttException.class, refused -> assertThat(refused.getReasonCode())
                        .isEqualTo(MqttException.REASON_CODE_NOT_AUTHORIZED));
    }

    @Test
    @DisplayName("a session's URL with its security token removed is refused by the broker")
    void urlWithoutTokenIsRefused() throws Exception {
        JsonObject session = openSession();
        String url = session.getString("endpointUrl").replaceAll("&X-Amz-Security-Token=[^&]*", "");

        assertThatThrownBy(() -> Client.connect(session.getString("clientId"), url))
                .isInstanceOf(MqttException.class);
    }

    /** An Eclipse Paho client that keeps what it receives and notes when the broker drops it. */
    private static final class Client implements AutoCloseable {
        final MqttAsyncClient paho;
        final BlockingQueue<MqttMessageOn> received = new LinkedBlockingQueue<>();
        final CompletableFuture<Throwable> lost = new CompletableFuture<>();

        private Client(String clientId, String url) throws MqttException {
            paho = new MqttAsyncClient(url, clientId, new MemoryPersistence());
            paho.setCallback(new MqttCallback() {
                @Override
                public void connectionLost(Throwable cause) {
                    lost.complete(cause);
                }

                @Override
                public void messageArrived(String topic, MqttMessage message) {
                    received.add(new MqttMessageOn(topic, new String(message.getPayload(), StandardCharsets.UTF_8)));
                }

                @Override
                public void deliveryComplete(IMqttDeliveryToken token) {
                }
            });
        }

        static Client connect(String clientId, String url) throws MqttException {
            Client client = new Client(clientId, url);
            MqttConnectOptions options = new MqttConnectOptions();
            options.setCleanSession(true);
            options.setKeepAliveInterval(60);
            options.setAutomaticReconnect(false);
            options.setMqttVersion(MqttConnectOptions.MQTT_VERSION_3_1_1);
            options.setConnectionTimeout((int) EXPECTED.toSeconds());
            try {
                client.paho.connect(options).waitForCompletion(EXPECTED.toMillis());
            } catch (MqttException refused) {
                client.paho.close(true);
                throw refused;
            }
            return client;
        }

        int[] subscribe(String... filters) throws MqttException {
            int[] qos = new int[filters.length];
            java.util.Arrays.fill(qos, 1);
            IMqttToken token = paho.subscribe(filters, qos);
            token.waitForCompletion(EXPECTED.toMillis());
            return token.getGrantedQos();
        }

        void publish(String topic, String payload) throws MqttException {
            paho.publish(topic, payload.getBytes(StandardCharsets.UTF_8), 1, false)
                    .waitForCompletion(EXPECTED.toMillis());
        }

        MqttMessageOn next() throws InterruptedException {
            MqttMessageOn message = received.poll(EXPECTED.toMillis(), TimeUnit.MILLISECONDS);
            if (message == null) {
                throw new AssertionError("no message arrived within " + EXPECTED);
            }
            return message;
        }

        @Override
        public void close() {
            try {
                if (paho.isConnected()) {
                    paho.disconnect().waitForCompletion(EXPECTED.toMillis());
                }
                paho.close(true);
            } catch (MqttException alreadyGone) {
                // The broker may have dropped the client already; there is nothing left to release.
            }
        }
    }

    private record MqttMessageOn(String topic, String payload) {
    }
}
