package dev.tether.local.iot;

import dev.tether.IotLimits;
import dev.tether.local.MutableClock;
import dev.tether.local.TestStandIns;
import dev.tether.local.TestStandIns.Client;
import dev.tether.local.TestStandIns.Received;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static dev.tether.local.TestStandIns.ABSENT;
import static dev.tether.local.TestStandIns.FULL;
import static org.assertj.core.api.Assertions.assertThat;

/** QoS 1 flow control and the bounds AWS IoT Core puts on persistent sessions. */
@ExtendWith(VertxExtension.class)
class SessionsIT {
    @Test
    @DisplayName("at most 100 QoS 1 messages are in flight to a client; each PUBACK lets the next one go")
    void inFlightWindow(Vertx vertx) throws Exception {
        TestStandIns standIns = TestStandIns.start(vertx);
        try (Client publisher = standIns.connect("pub", standIns.url(FULL))) {
            Client slow = standIns.client("slow", standIns.url(FULL));
            slow.paho.setManualAcks(true);
            slow.connect(true);
            slow.subscribe("flow");

            for (int i = 0; i <= IotLimits.MAX_IN_FLIGHT_QOS1; i++) {
                publisher.publish("flow", "m" + i, 1);
            }
            List<Received> first = new ArrayList<>();
            for (int i = 0; i < IotLimits.MAX_IN_FLIGHT_QOS1; i++) {
                first.add(slow.next());
            }
            assertThat(slow.nextWithin(ABSENT)).as("the 101st waits for a PUBACK").isEmpty();

            slow.paho.messageArrivedComplete(first.get(0).id(), 1);
            assertThat(slow.next().payload()).isEqualTo("m" + IotLimits.MAX_IN_FLIGHT_QOS1);
            slow.close();
        }
    }

    @Test
    @DisplayName("a persistent session keeps at most the configured number of queued messages")
    void queueIsBounded(Vertx vertx) throws Exception {
        TestStandIns standIns = TestStandIns.start(vertx,
                BrokerSettings.defaults().withMaxQueuedMessages(2), Clock.systemUTC());
        try (Client publisher = standIns.connect("pub", standIns.url(FULL))) {
            Client away = standIns.connect("away", standIns.url(FULL), false);
            away.subscribe("q");
            away.close();

            for (int i = 1; i <= 4; i++) {
                publisher.publish("q", "m" + i, 1);
            }

            try (Client back = standIns.connect("away", standIns.url(FULL), false)) {
                assertThat(back.next().payload()).isEqualTo("m1");
                assertThat(back.next().payload()).isEqualTo("m2");
                assertThat(back.nextWithin(ABSENT)).isEmpty();
            }
        }
    }

    @Test
    @DisplayName("a persistent session expires an hour after its client left, as AWS IoT Core's default")
    void sessionExpires(Vertx vertx) throws Exception {
        MutableClock clock = new MutableClock(Instant.now());
        TestStandIns standIns = TestStandIns.start(vertx, BrokerSettings.defaults(), clock);
        Client away = standIns.connect("away", standIns.url(FULL), false);
        away.subscribe("q");
        away.close();

        clock.advance(Duration.ofMinutes(59));
        Client soon = standIns.connect("away", standIns.url(FULL), false);
        assertThat(soon.sessionPresent).isTrue();
        soon.close();

        clock.advance(Duration.ofMinutes(61));
        try (Client late = standIns.connect("away", standIns.url(FULL), false)) {
            assertThat(late.sessionPresent).isFalse();
        }
    }
}
