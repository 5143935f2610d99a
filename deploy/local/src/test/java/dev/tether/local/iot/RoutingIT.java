package dev.tether.local.iot;

import dev.tether.local.TestStandIns;
import dev.tether.local.TestStandIns.Client;
import dev.tether.local.TestStandIns.Received;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.ArrayList;
import java.util.List;

import static dev.tether.local.TestStandIns.ABSENT;
import static dev.tether.local.TestStandIns.FULL;
import static org.assertj.core.api.Assertions.assertThat;

/** Routing as AWS IoT Core does it: wildcards, shared subscriptions, sessions, retained messages, takeover. */
@ExtendWith(VertxExtension.class)
class RoutingIT {
    private TestStandIns standIns;

    @BeforeEach
    void start(Vertx vertx) throws Exception {
        standIns = TestStandIns.start(vertx);
    }

    @Test
    @DisplayName("+ matches one level and # every level below; each subscriber gets a message once")
    void wildcards() throws Exception {
        try (Client plus = standIns.connect("plus", standIns.url(FULL));
                Client hash = standIns.connect("hash", standIns.url(FULL));
                Client publisher = standIns.connect("pub", standIns.url(FULL))) {
            plus.subscribe("w/+/c");
            hash.subscribe("w/#", "w/b/c");

            publisher.publish("w/b/c", "one", 1);
            publisher.publish("w/x/y/z", "two", 1);
            publisher.publish("other/b/c", "three", 1);

            assertThat(plus.next().payload()).isEqualTo("one");
            assertThat(plus.nextWithin(ABSENT)).isEmpty();
            assertThat(hash.next().payload()).isEqualTo("one");
            assertThat(hash.next().payload()).isEqualTo("two");
            assertThat(hash.nextWithin(ABSENT)).isEmpty();
        }
    }

    @Test
    @DisplayName("$share/<group>/<filter> gives each message to one member, in turn; plain subscribers get all")
    void sharedSubscriptions() throws Exception {
        try (Client first = standIns.connect("member-1", standIns.url(FULL));
                Client second = standIns.connect("member-2", standIns.url(FULL));
                Client plain = standIns.connect("plain", standIns.url(FULL));
                Client publisher = standIns.connect("pub", standIns.url(FULL))) {
            assertThat(first.subscribe("$share/workers/jobs/+")).containsExactly(1);
            assertThat(second.subscribe("$share/workers/jobs/+")).containsExactly(1);
            plain.subscribe("jobs/+");

            for (int i = 0; i < 10; i++) {
                publisher.publish("jobs/" + i, "job " + i, 1);
            }

            List<String> all = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                all.add(plain.next().payload());
            }
            List<String> toFirst = new ArrayList<>();
            List<String> toSecond = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                toFirst.add(first.next().payload());
                toSecond.add(second.next().payload());
            }
            assertThat(first.nextWithin(ABSENT)).isEmpty();
            assertThat(second.nextWithin(ABSENT)).isEmpty();
            List<String> shared = new ArrayList<>(toFirst);
            shared.addAll(toSecond);
            assertThat(shared).containsExactlyInAnyOrderElementsOf(all);
        }
    }

    @Test
    @DisplayName("a persistent session keeps QoS 1 messages while its client is away and delivers them on return")
    void persistentSession() throws Exception {
        try (Client publisher = standIns.connect("pub", standIns.url(FULL))) {
            Client away = standIns.connect("away", standIns.url(FULL), false);
            away.subscribe("p/t");
            away.close();

            publisher.publish("p/t", "m1", 1);
            publisher.publish("p/t", "m2", 1);
            publisher.publish("p/t", "m3", 0);

            try (Client back = standIns.connect("away", standIns.url(FULL), false)) {
                assertThat(back.sessionPresent).isTrue();
                assertThat(back.next().payload()).isEqualTo("m1");
                assertThat(back.next().payload()).isEqualTo("m2");
                assertThat(back.nextWithin(ABSENT)).as("QoS 0 is not kept").isEmpty();
            }
        }
    }

    @Test
    @DisplayName("clean session discards what a persistent session kept")
    void cleanSessionDiscards() throws Exception {
        try (Client publisher = standIns.connect("pub", standIns.url(FULL))) {
            Client away = standIns.connect("away", standIns.url(FULL), false);
            away.subscribe("p/t");
            away.close();
            publisher.publish("p/t", "m1", 1);

            try (Client back = standIns.connect("away", standIns.url(FULL), true)) {
                assertThat(back.sessionPresent).isFalse();
                publisher.publish("p/t", "m2", 1);
                assertThat(back.nextWithin(ABSENT)).isEmpty();
            }
        }
    }

    @Test
    @DisplayName("a QoS 1 message not acknowledged is sent again, marked DUP, when the persistent session returns")
    void redeliveryOfUnacknowledged() throws Exception {
        try (Client publisher = standIns.connect("pub", standIns.url(FULL))) {
            Client forgetful = standIns.client("forgetful", standIns.url(FULL));
            forgetful.paho.setManualAcks(true);
            forgetful.connect(false);
            forgetful.subscribe("r/t");

            publisher.publish("r/t", "ack me", 1);
            Received first = forgetful.next();
            assertThat(first.duplicate()).isFalse();
            forgetful.paho.disconnectForcibly(0, 1000, false);
            forgetful.paho.close(true);

            try (Client back = standIns.connect("forgetful", standIns.url(FULL), false)) {
                Received again = back.next();
                assertThat(again.payload()).isEqualTo("ack me");
                assertThat(again.duplicate()).isTrue();
            }
        }
    }

    @Test
    @DisplayName("a retained message goes to later subscriptions without wildcards only; an empty one clears it")
    void retained() throws Exception {
        try (Client publisher = standIns.connect("pub", standIns.url(FULL))) {
            publisher.publish("ret/t", "kept".getBytes(), 1, true);

            try (Client exact = standIns.connect("exact", standIns.url(FULL));
                    Client wild = standIns.connect("wild", standIns.url(FULL))) {
                exact.subscribe("ret/t");
                wild.subscribe("ret/+");

                Received kept = exact.next();
                assertThat(kept.payload()).isEqualTo("kept");
                assertThat(kept.retained()).isTrue();
                assertThat(wild.nextWithin(ABSENT)).isEmpty();
            }

            publisher.publish("ret/t", new byte[0], 1, true);
            try (Client late = standIns.connect("late", standIns.url(FULL))) {
                late.subscribe("ret/t");
                assertThat(late.nextWithin(ABSENT)).isEmpty();
            }
        }
    }

    @Test
    @DisplayName("a new connection with a client id in use takes over: the old one is closed and reported so")
    void takeover() throws Exception {
        try (Client watcher = standIns.connect("watcher", standIns.url(FULL))) {
            watcher.subscribe("$aws/events/presence/disconnected/twin");
            Client older = standIns.connect("twin", standIns.url(FULL));

            try (Client newer = standIns.connect("twin", standIns.url(FULL))) {
                assertThat(older.awaitLost()).isNotNull();
                JsonObject event = new JsonObject(watcher.next().payload());
                assertThat(event.getString("disconnectReason")).isEqualTo("DUPLICATE_CLIENTID");
                assertThat(event.getBoolean("clientInitiatedDisconnect")).isFalse();

                newer.subscribe("still/works");
                newer.publish("still/works", "yes", 1);
                assertThat(newer.next().payload()).isEqualTo("yes");
            } finally {
                older.close();
            }
        }
    }

    @Test
    @DisplayName("presence events carry AWS's fields, one session identifier per connection")
    void presenceEvents() throws Exception {
        try (Client watcher = standIns.connect("watcher", standIns.url(FULL))) {
            watcher.subscribe("$aws/events/presence/+/visitor");
            Client visitor = standIns.connect("visitor", standIns.url(FULL));
            visitor.close();

            Received connectedMessage = watcher.next();
            Received disconnectedMessage = watcher.next();
            assertThat(connectedMessage.topic()).isEqualTo("$aws/events/presence/connected/visitor");
            assertThat(disconnectedMessage.topic()).isEqualTo("$aws/events/presence/disconnected/visitor");
            JsonObject connected = new JsonObject(connectedMessage.payload());
            JsonObject disconnected = new JsonObject(disconnectedMessage.payload());
            assertThat(connected.getString("clientId")).isEqualTo("visitor");
            assertThat(connected.getString("eventType")).isEqualTo("connected");
            assertThat(connected.getLong("timestamp")).isPositive();
            assertThat(connected.getString("principalIdentifier")).isEqualTo("full");
            assertThat(connected.getLong("versionNumber")).isEqualTo(1L);
            assertThat(connected.getString("ipAddress")).isEqualTo("127.0.0.1");
            assertThat(disconnected.getString("eventType")).isEqualTo("disconnected");
            assertThat(disconnected.getString("sessionIdentifier"))
                    .isEqualTo(connected.getString("sessionIdentifier"));
            assertThat(disconnected.getBoolean("clientInitiatedDisconnect")).isTrue();
            assertThat(disconnected.getString("disconnectReason")).isEqualTo("CLIENT_INITIATED_DISCONNECT");
        }
    }

    @Test
    @DisplayName("# does not match $aws topics, and clients may not publish to $aws/events")
    void reservedTopics() throws Exception {
        try (Client everything = standIns.connect("all", standIns.url(FULL))) {
            everything.subscribe("#");
            try (Client visitor = standIns.connect("visitor", standIns.url(FULL))) {
                visitor.paho.publish("$aws/events/presence/connected/fake", "{}".getBytes(), 1, false);
                assertThat(visitor.awaitLost()).isNotNull();
            }
            assertThat(everything.nextWithin(ABSENT)).isEmpty();
        }
    }

    @Test
    @DisplayName("a message is delivered at the lower of its QoS and the subscription's")
    void qosDowngrade() throws Exception {
        try (Client subscriber = standIns.connect("sub", standIns.url(FULL));
                Client publisher = standIns.connect("pub", standIns.url(FULL))) {
            var token = subscriber.paho.subscribe("q0", 0);
            token.waitForCompletion(TestStandIns.EXPECTED.toMillis());
            subscriber.subscribe("q1");

            publisher.publish("q0", "a", 1);
            publisher.publish("q1", "b", 0);

            assertThat(subscriber.next().qos()).isZero();
            assertThat(subscriber.next().qos()).isZero();
        }
    }

    @Test
    @DisplayName("the will is published when a client is lost, and not when it disconnects cleanly")
    void will() throws Exception {
        try (Client watcher = standIns.connect("watcher", standIns.url(FULL))) {
            watcher.subscribe("wills/+");

            Client lost = standIns.client("lost", standIns.url(FULL));
            MqttConnectOptions options = new MqttConnectOptions();
            options.setWill("wills/lost", "{\"type\":\"end\",\"reason\":\"responder-lost\"}".getBytes(), 1,
                    false);
            lost.paho.connect(options).waitForCompletion(TestStandIns.EXPECTED.toMillis());
            lost.paho.disconnectForcibly(0, 1000, false);
            lost.paho.close(true);

            Received will = watcher.next();
            assertThat(will.topic()).isEqualTo("wills/lost");
            assertThat(new JsonObject(will.payload()).getString("reason")).isEqualTo("responder-lost");

            Client clean = standIns.client("clean", standIns.url(FULL));
            MqttConnectOptions cleanOptions = new MqttConnectOptions();
            cleanOptions.setWill("wills/clean", "gone".getBytes(), 1, false);
            clean.paho.connect(cleanOptions).waitForCompletion(TestStandIns.EXPECTED.toMillis());
            clean.close();
            assertThat(watcher.nextWithin(ABSENT)).isEmpty();
        }
    }

    @Test
    @DisplayName("after UNSUBSCRIBE a filter's messages stop; the client's other subscriptions go on")
    void unsubscribe() throws Exception {
        try (Client subscriber = standIns.connect("sub", standIns.url(FULL));
                Client publisher = standIns.connect("pub", standIns.url(FULL))) {
            subscriber.subscribe("u/one", "u/two");
            subscriber.paho.unsubscribe("u/one").waitForCompletion(TestStandIns.EXPECTED.toMillis());

            publisher.publish("u/one", "dropped", 1);
            publisher.publish("u/two", "kept", 1);

            assertThat(subscriber.next().payload()).isEqualTo("kept");
            assertThat(subscriber.nextWithin(ABSENT)).isEmpty();
        }
    }
}
