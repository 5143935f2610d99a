package dev.tether.local.iot;

import dev.tether.local.TestStandIns;
import dev.tether.local.TestStandIns.Client;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import static dev.tether.local.TestStandIns.ABSENT;
import static dev.tether.local.TestStandIns.FULL;
import static dev.tether.local.TestStandIns.NARROW;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Each IAM policy check of AWS IoT Core: Connect, Subscribe, Publish, RetainPublish and Receive. */
@ExtendWith(VertxExtension.class)
class AuthorizationIT {
    private TestStandIns standIns;

    @BeforeEach
    void start(Vertx vertx) throws Exception {
        standIns = TestStandIns.start(vertx);
    }

    @Test
    @DisplayName("iot:Connect denied for the client id: CONNACK not authorized")
    void connectDenied() throws Exception {
        assertThatThrownBy(() -> standIns.connect("other-1", standIns.url(NARROW)))
                .isInstanceOfSatisfying(MqttException.class, e -> assertThat(e.getReasonCode())
                        .isEqualTo(MqttException.REASON_CODE_NOT_AUTHORIZED));
        try (Client allowed = standIns.connect("narrow-1", standIns.url(NARROW))) {
            assertThat(allowed.paho.isConnected()).isTrue();
        }
    }

    @Test
    @DisplayName("iot:Subscribe denied for one filter: that filter gets 0x80 in SUBACK, the others are granted")
    void subscribeDenied() throws Exception {
        try (Client narrow = standIns.connect("narrow-1", standIns.url(NARROW));
                Client full = standIns.connect("full-1", standIns.url(FULL))) {
            assertThat(narrow.subscribe("allowed/x", "forbidden/x")).containsExactly(1, 0x80);

            full.publish("forbidden/x", "not for you", 1);
            full.publish("allowed/x", "for you", 1);
            assertThat(narrow.next().payload()).isEqualTo("for you");
            assertThat(narrow.nextWithin(ABSENT)).isEmpty();
        }
    }

    @Test
    @DisplayName("iot:Publish denied: the connection is closed and nothing is delivered")
    void publishDenied() throws Exception {
        try (Client narrow = standIns.connect("narrow-1", standIns.url(NARROW));
                Client full = standIns.connect("full-1", standIns.url(FULL))) {
            full.subscribe("forbidden/x");

            narrow.paho.publish("forbidden/x", "sneaky".getBytes(), 1, false);

            assertThat(narrow.awaitLost()).isNotNull();
            assertThat(full.nextWithin(ABSENT)).isEmpty();
        }
    }

    @Test
    @DisplayName("a retained publish without iot:RetainPublish closes the connection")
    void retainPublishDenied() throws Exception {
        try (Client narrow = standIns.connect("narrow-1", standIns.url(NARROW))) {
            narrow.paho.publish("allowed/x", "keep me".getBytes(), 1, true);

            assertThat(narrow.awaitLost()).isNotNull();
        }
    }

    @Test
    @DisplayName("iot:Receive denied: a message matching the subscription is not delivered to that subscriber")
    void receiveDenied() throws Exception {
        try (Client narrow = standIns.connect("narrow-1", standIns.url(NARROW));
                Client full = standIns.connect("full-1", standIns.url(FULL))) {
            assertThat(narrow.subscribe("allowed/+")).containsExactly(1);
            full.subscribe("allowed/+");

            full.publish("allowed/secret", "hidden", 1);
            full.publish("allowed/open", "visible", 1);

            assertThat(narrow.next().topic()).isEqualTo("allowed/open");
            assertThat(narrow.nextWithin(ABSENT)).isEmpty();
            assertThat(full.next().topic()).isEqualTo("allowed/secret");
            assertThat(full.next().topic()).isEqualTo("allowed/open");
        }
    }
}
