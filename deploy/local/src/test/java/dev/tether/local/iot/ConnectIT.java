package dev.tether.local.iot;

import dev.tether.local.TestStandIns;
import dev.tether.local.TestStandIns.Client;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.net.ServerSocket;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Clients connect through presigned URLs and exchange QoS 1 messages. */
@ExtendWith(VertxExtension.class)
class ConnectIT {
    private TestStandIns standIns;

    @BeforeEach
    void start(Vertx vertx) throws Exception {
        standIns = TestStandIns.start(vertx);
    }

    @Test
    void presignedUrl_connects_andExchangesQos1() throws Exception {
        try (Client subscriber = standIns.connect("sub-1", standIns.url(TestStandIns.FULL));
                Client publisher = standIns.connect("pub-1", standIns.url(TestStandIns.FULL))) {
            assertThat(subscriber.subscribe("a/b")).containsExactly(1);
            publisher.publish("a/b", "hello", 1);

            TestStandIns.Received received = subscriber.next();
            assertThat(received.topic()).isEqualTo("a/b");
            assertThat(received.payload()).isEqualTo("hello");
            assertThat(received.qos()).isEqualTo(1);
        }
    }

    @Test
    @DisplayName("on a configured port the front runs on every event loop and clients on any of them meet")
    void configuredPort_spreadsConnections_acrossEventLoops(Vertx vertx) throws Exception {
        int port;
        try (ServerSocket probe = new ServerSocket(0)) {
            port = probe.getLocalPort();
        }
        TestStandIns onPort = TestStandIns.startOn(vertx, BrokerSettings.defaults().withPort(port),
                Clock.systemUTC());
        assertThat(onPort.aws().brokerPort()).isEqualTo(port);

        List<Client> clients = new ArrayList<>();
        try {
            for (int i = 0; i < 4; i++) {
                Client client = onPort.connect("c-" + i, onPort.url(TestStandIns.FULL));
                client.subscribe("ring/" + i);
                clients.add(client);
            }
            for (int i = 0; i < 4; i++) {
                clients.get(i).publish("ring/" + (i + 1) % 4, "from " + i, 1);
            }
            for (int i = 0; i < 4; i++) {
                assertThat(clients.get(i).next().payload()).isEqualTo("from " + (i + 3) % 4);
            }
        } finally {
            clients.forEach(Client::close);
        }
    }
}
