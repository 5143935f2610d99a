package dev.tether.local.iot;

import dev.tether.local.TestStandIns;
import dev.tether.local.TestStandIns.Client;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import static org.assertj.core.api.Assertions.assertThat;

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
}
