package dev.tether.local.iot;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.http.ServerWebSocketHandshake;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetClientOptions;
import io.vertx.core.net.NetSocket;
import io.vertx.core.net.SocketAddress;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The WebSocket side of the broker: accepts MQTT-over-WebSocket upgrades at {@code /mqtt} with any query, and
 * carries each connection's bytes to the MQTT server on a loopback TCP hop.
 *
 * <p>Why a front: vertx-mqtt 5.0.7's {@code MqttServer} with {@code setUseWebSocket(true)} installs Netty's
 * {@code WebSocketServerProtocolHandler} for the path {@code /mqtt} without its "starts with" option, and Netty
 * 4.2 then compares the whole request URI, query included, with {@code /mqtt}. A presigned URL
 * ({@code /mqtt?X-Amz-Algorithm=...}) is never upgraded, and vertx-mqtt offers no option to change this. The
 * Vert.x HTTP server does the upgrade instead, and remembers the raw path, query and Host header of the upgrade
 * request by the local port of the hop, where the broker claims them when CONNECT arrives. Nothing is verified
 * here: a connection to the TCP port that did not come through the front has no upgrade request and is refused.
 *
 * <p>Used only on the broker's context.
 */
final class WebSocketFront {
    private static final Logger LOG = LoggerFactory.getLogger(WebSocketFront.class);
    private static final String PATH = "/mqtt";

    private final Vertx vertx;
    private final Map<Integer, UpgradeRequest> upgrades = new HashMap<>();
    private HttpServer server;
    private NetClient hop;
    private SocketAddress mqttAddress;

    WebSocketFront(Vertx vertx) {
        this.vertx = vertx;
    }

    /** Listens for upgrades and hops each connection to the MQTT server's port on loopback. */
    Future<HttpServer> listen(String host, int port, int mqttPort, int maxMessageBytes) {
        hop = vertx.createNetClient(new NetClientOptions().setTcpNoDelay(true));
        server = vertx.createHttpServer(new HttpServerOptions()
                .setHost(host)
                .setPort(port)
                .setTcpNoDelay(true)
                // MQTT over WebSocket names its subprotocol "mqtt"; older clients send "mqttv3.1".
                .setWebSocketSubProtocols(List.of("mqtt", "mqttv3.1"))
                .setMaxWebSocketFrameSize(maxMessageBytes)
                .setMaxWebSocketMessageSize(maxMessageBytes));
        // A resolved loopback address: the hop needs no name resolution, which is slow on a cold Vert.x instance.
        mqttAddress = SocketAddress.inetSocketAddress(new InetSocketAddress(InetAddress.getLoopbackAddress(),
                mqttPort));
        server.webSocketHandshakeHandler(this::upgrade);
        server.webSocketHandler(ws -> {
        });
        return server.listen();
    }

    /** The upgrade request of a connection, by the port the hop connected from; each is claimed once. */
    Optional<UpgradeRequest> claim(int hopPort) {
        return Optional.ofNullable(upgrades.remove(hopPort));
    }

    Future<Void> close() {
        Future<Void> closed = server == null ? Future.succeededFuture() : server.close();
        return closed.compose(v -> hop == null ? Future.succeededFuture() : hop.close());
    }

    private void upgrade(ServerWebSocketHandshake handshake) {
        if (!PATH.equals(handshake.path())) {
            LOG.info("refused a WebSocket upgrade to path {}: the MQTT endpoint is {}", handshake.path(), PATH);
            handshake.reject(404);
            return;
        }
        String query = handshake.query() == null ? "" : handshake.query();
        String remote = handshake.remoteAddress() == null ? "" : handshake.remoteAddress().host();
        UpgradeRequest request = new UpgradeRequest(PATH, query, handshake.headers().get("host"), remote);
        hop.connect(mqttAddress)
                .onSuccess(socket -> {
                    int hopPort = socket.localAddress().port();
                    upgrades.put(hopPort, request);
                    socket.closeHandler(v -> upgrades.remove(hopPort));
                    handshake.accept()
                            .onSuccess(ws -> join(ws, socket))
                            .onFailure(e -> socket.close());
                })
                .onFailure(e -> {
                    LOG.warn("could not reach the MQTT server at {}: {}", mqttAddress, e.toString());
                    handshake.reject(503);
                });
    }

    private static void join(ServerWebSocket ws, NetSocket socket) {
        // MQTT over WebSocket ignores frame boundaries (MQTT 3.1.1, 6.0), so bytes can flow either way as read.
        ws.pipeTo(socket);
        socket.pipeTo(ws);
    }
}
