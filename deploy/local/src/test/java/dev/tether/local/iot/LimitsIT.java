package dev.tether.local.iot;

import dev.tether.IotLimits;
import dev.tether.local.TestStandIns;
import dev.tether.local.TestStandIns.Client;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.Arrays;
import java.util.stream.IntStream;

import static dev.tether.local.TestStandIns.ABSENT;
import static dev.tether.local.TestStandIns.FULL;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** AWS IoT Core's documented limits, each at its edge. */
@ExtendWith(VertxExtension.class)
class LimitsIT {
    private TestStandIns standIns;

    @BeforeEach
    void start(Vertx vertx) throws Exception {
        standIns = TestStandIns.start(vertx);
    }

    @Test
    @DisplayName("a 128 KB payload is delivered; one byte more closes the connection")
    void payloadLimit() throws Exception {
        try (Client subscriber = standIns.connect("sub-1", standIns.url(FULL));
                Client publisher = standIns.connect("pub-1", standIns.url(FULL))) {
            subscriber.subscribe("big");

            publisher.publish("big", new byte[IotLimits.MAX_PAYLOAD_BYTES], 1, false);
            assertThat(subscriber.next().payload()).hasSize(IotLimits.MAX_PAYLOAD_BYTES);

            publisher.paho.publish("big", new byte[IotLimits.MAX_PAYLOAD_BYTES + 1], 1, false);
            assertThat(publisher.awaitLost()).isNotNull();
            assertThat(subscriber.nextWithin(ABSENT)).isEmpty();
        }
    }

    @Test
    @DisplayName("a 256-byte topic is accepted; 257 bytes closes the connection")
    void topicLength() throws Exception {
        try (Client publisher = standIns.connect("pub-1", standIns.url(FULL))) {
            publisher.publish("t".repeat(IotLimits.MAX_TOPIC_BYTES), "ok", 1);

            publisher.paho.publish("t".repeat(IotLimits.MAX_TOPIC_BYTES + 1), "no".getBytes(), 1, false);
            assertThat(publisher.awaitLost()).isNotNull();
        }
    }

    @Test
    @DisplayName("a topic with 7 slashes is accepted; 8 closes the connection")
    void topicSlashes() throws Exception {
        try (Client publisher = standIns.connect("pub-1", standIns.url(FULL))) {
            publisher.publish("a/b/c/d/e/f/g/h", "ok", 1);

            publisher.paho.publish("a/b/c/d/e/f/g/h/i", "no".getBytes(), 1, false);
            assertThat(publisher.awaitLost()).isNotNull();
        }
    }

    @Test
    @DisplayName("a 128-byte client id connects; 129 bytes is refused with 'identifier rejected'")
    void clientIdLength() throws Exception {
        try (Client longest = standIns.connect("c".repeat(IotLimits.MAX_CLIENT_ID_BYTES), standIns.url(FULL))) {
            assertThat(longest.paho.isConnected()).isTrue();
        }
        assertThatThrownBy(() -> standIns.connect("c".repeat(IotLimits.MAX_CLIENT_ID_BYTES + 1),
                standIns.url(FULL)))
                .isInstanceOfSatisfying(MqttException.class, e -> assertThat(e.getReasonCode())
                        .isEqualTo(MqttException.REASON_CODE_INVALID_CLIENT_ID));
    }

    @Test
    @DisplayName("8 filters in one SUBSCRIBE are granted; 9 are all refused with 0x80")
    void filtersPerSubscribe() throws Exception {
        try (Client client = standIns.connect("sub-1", standIns.url(FULL))) {
            String[] eight = IntStream.range(0, 8).mapToObj(i -> "eight/" + i).toArray(String[]::new);
            String[] nine = IntStream.range(0, 9).mapToObj(i -> "nine/" + i).toArray(String[]::new);

            assertThat(client.subscribe(eight)).containsOnly(1).hasSize(8);
            assertThat(client.subscribe(nine)).containsOnly(0x80).hasSize(9);
        }
    }

    @Test
    @DisplayName("50 subscriptions are granted; the 51st is refused with 0x80")
    void subscriptionsPerConnection() throws Exception {
        try (Client client = standIns.connect("sub-1", standIns.url(FULL))) {
            for (int batch = 0; batch < 10; batch++) {
                int first = batch * 5;
                String[] filters = IntStream.range(first, first + 5).mapToObj(i -> "s/" + i).toArray(String[]::new);
                assertThat(client.subscribe(filters)).containsOnly(1);
            }

            assertThat(client.subscribe("s/50")).containsExactly(0x80);
            assertThat(client.subscribe("s/0")).as("renewing an existing subscription").containsExactly(1);
        }
    }

    @Test
    @DisplayName("QoS 2 is granted as QoS 1; a QoS 2 PUBLISH closes the connection, as AWS IoT Core supports 0 and 1")
    void qos2() throws Exception {
        try (Client client = standIns.connect("c-1", standIns.url(FULL))) {
            var token = client.paho.subscribe(new String[] {"q"}, new int[] {2});
            token.waitForCompletion(TestStandIns.EXPECTED.toMillis());
            assertThat(Arrays.stream(token.getGrantedQos()).boxed()).containsExactly(1);

            client.paho.publish("q", "two".getBytes(), 2, false);
            assertThat(client.awaitLost()).isNotNull();
        }
    }
}
