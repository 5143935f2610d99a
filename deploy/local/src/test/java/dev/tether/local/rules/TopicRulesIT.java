package dev.tether.local.rules;

import dev.tether.local.TestStandIns;
import dev.tether.local.TestStandIns.Client;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static dev.tether.local.TestStandIns.ABSENT;
import static dev.tether.local.TestStandIns.EXPECTED;
import static dev.tether.local.TestStandIns.FULL;
import static org.assertj.core.api.Assertions.assertThat;

/** Topic rules hand selected JSON payloads to their function, as the IoT rule Lambda action does. */
@ExtendWith(VertxExtension.class)
class TopicRulesIT {
    private TestStandIns standIns;

    @BeforeEach
    void start(Vertx vertx) throws Exception {
        standIns = TestStandIns.start(vertx);
    }

    /** One invocation as the function saw it. */
    private record Invocation(String topic, JsonObject payload, boolean onEventLoop) {
    }

    @Test
    @DisplayName("a matching JSON message invokes the function with topic and payload; WHERE filters the rest")
    void dispatches() throws Exception {
        BlockingQueue<Invocation> invocations = new LinkedBlockingQueue<>();
        standIns.aws().rules().add("sessions", "SELECT * FROM 'tether/+' WHERE type = 'start'",
                (topic, payload) -> {
                    invocations.add(new Invocation(topic, payload, Vertx.currentContext() != null));
                    return Future.succeededFuture();
                });

        try (Client client = standIns.connect("c", standIns.url(FULL))) {
            client.publish("tether/session", "{\"type\":\"start\",\"channelId\":\"ch1\"}", 1);
            client.publish("tether/session", "{\"type\":\"stop\"}", 1);
            client.publish("tether/session", "not json", 1);
            client.publish("other/session", "{\"type\":\"start\"}", 1);

            Invocation invocation = invocations.poll(EXPECTED.toMillis(), TimeUnit.MILLISECONDS);
            assertThat(invocation).isNotNull();
            assertThat(invocation.topic()).isEqualTo("tether/session");
            assertThat(invocation.payload().getString("channelId")).isEqualTo("ch1");
            assertThat(invocation.onEventLoop()).isTrue();
            assertThat(invocations.poll(ABSENT.toMillis(), TimeUnit.MILLISECONDS)).isNull();
        }
    }

    @Test
    @DisplayName("a failing or throwing function does not affect the publisher or the subscribers")
    void failuresStayWithTheRule() throws Exception {
        standIns.aws().rules().add("fails", "SELECT * FROM 'x'", (topic, payload) ->
                Future.failedFuture(new IllegalStateException("function failed")));
        standIns.aws().rules().add("throws", "SELECT * FROM 'x'", (topic, payload) -> {
            throw new IllegalStateException("function threw");
        });

        try (Client subscriber = standIns.connect("sub", standIns.url(FULL));
                Client publisher = standIns.connect("pub", standIns.url(FULL))) {
            subscriber.subscribe("x");
            publisher.publish("x", "{\"n\":1}", 1);
            publisher.publish("x", "{\"n\":2}", 1);

            assertThat(subscriber.next().payload()).isEqualTo("{\"n\":1}");
            assertThat(subscriber.next().payload()).isEqualTo("{\"n\":2}");
            assertThat(publisher.paho.isConnected()).isTrue();
        }
    }

    @Test
    @DisplayName("presence events reach rules on $aws/events topics")
    void presenceRule() throws Exception {
        BlockingQueue<String> clients = new LinkedBlockingQueue<>();
        standIns.aws().rules().add("gone", "SELECT * FROM '$aws/events/presence/disconnected/+'",
                (topic, payload) -> {
                    clients.add(payload.getString("clientId"));
                    return Future.succeededFuture();
                });

        standIns.connect("leaver", standIns.url(FULL)).close();

        assertThat(clients.poll(EXPECTED.toMillis(), TimeUnit.MILLISECONDS)).isEqualTo("leaver");
    }
}
