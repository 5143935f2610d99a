package dev.tether.local.iot;

import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import io.vertx.mqtt.MqttServer;
import io.vertx.mqtt.MqttServerOptions;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Why {@link WebSocketFront} exists: vertx-mqtt's own WebSocket mode upgrades {@code /mqtt} but not
 * {@code /mqtt?<query>}, so it cannot take a presigned URL. Should a vertx-mqtt upgrade change this, this test
 * fails, and the front can go.
 */
@ExtendWith(VertxExtension.class)
class VertxMqttWebSocketPathIT {
    @Test
    @DisplayName("vertx-mqtt 5.0.7 upgrades /mqtt but not /mqtt with a query")
    void queryIsNotUpgraded(Vertx vertx) throws Exception {
        MqttServerOptions options = new MqttServerOptions()
                .setUseWebSocket(true)
                .setPerMessageWebSocketCompressionSupported(true);
        options.setHost("127.0.0.1").setPort(0);
        MqttServer server = MqttServer.create(vertx, options)
                .endpointHandler(endpoint -> endpoint.accept(false));
        int port = server.listen().await(10, TimeUnit.SECONDS).actualPort();

        MqttClient plain = new MqttClient("ws://127.0.0.1:" + port + "/mqtt", "plain", new MemoryPersistence());
        plain.connect(new MqttConnectOptions());
        assertThat(plain.isConnected()).isTrue();
        plain.disconnect();
        plain.close();

        MqttClient presigned = new MqttClient("ws://127.0.0.1:" + port + "/mqtt?X-Amz-Algorithm=AWS4-HMAC-SHA256",
                "presigned", new MemoryPersistence());
        MqttConnectOptions quick = new MqttConnectOptions();
        quick.setConnectionTimeout(3);
        assertThatThrownBy(() -> presigned.connect(quick)).isInstanceOf(MqttException.class);
        presigned.close();
    }
}
