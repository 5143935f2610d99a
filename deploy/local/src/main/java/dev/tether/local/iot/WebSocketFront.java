package dev.tether.local.iot;

import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.buffer.Buffer;
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
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicInteger;

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
 * <p>The front runs as one verticle instance per event loop, so that WebSocket framing and the hop's client side
 * are spread over the cores while the broker's state stays on its own context; {@link #claim(int)} is therefore
 * thread-safe.
 */
final class WebSocketFront {
    private static final Logger LOG = LoggerFactory.getLogger(WebSocketFront.class);
    private static final String PATH = "/mqtt";

    private final Vertx vertx;
    private final int minKeepAliveSeconds;
    private final ConcurrentMap<Integer, UpgradeRequest> upgrades = new ConcurrentHashMap<>();
    private final AtomicInteger port = new AtomicInteger();
    private final List<String> deployments = new java.util.concurrent.CopyOnWriteArrayList<>();

    WebSocketFront(Vertx vertx, int minKeepAliveSeconds) {
        this.vertx = vertx;
        this.minKeepAliveSeconds = minKeepAliveSeconds;
    }

    /**
     * Listens for upgrades and hops each connection to the MQTT server's port on loopback.
     *
     * @return the port it listens on
     */
    Future<Integer> listen(String host, int wantedPort, int mqttPort, int maxMessageBytes) {
        // A resolved loopback address: the hop needs no name resolution, which is slow on a cold Vert.x instance.
        SocketAddress mqttAddress = SocketAddress.inetSocketAddress(new InetSocketAddress(
                InetAddress.getLoopbackAddress(), mqttPort));
        // Vert.x shares a port among server instances only when it is known before they listen, so with port 0
        // (tests) one instance listens.
        int instances = wantedPort == 0 ? 1 : Math.max(1, Runtime.getRuntime().availableProcessors());
        return vertx.deployVerticle(() -> new FrontVerticle(host, wantedPort, mqttAddress, maxMessageBytes),
                        new DeploymentOptions().setInstances(instances))
                .map(id -> {
                    deployments.add(id);
                    return port.get();
                });
    }

    /** The upgrade request of a connection, by the port the hop connected from; each is claimed once. */
    Optional<UpgradeRequest> claim(int hopPort) {
        return Optional.ofNullable(upgrades.remove(hopPort));
    }

    /** Stops the front; deployments already gone with their parent verticle are not an error. */
    Future<Void> close() {
        List<Future<Void>> undeployed = deployments.stream()
                .map(id -> vertx.undeploy(id).otherwiseEmpty())
                .toList();
        return Future.all(undeployed).mapEmpty();
    }

    /** One event loop's share of the front: an HTTP server on the common port and a client for the hop. */
    private final class FrontVerticle extends VerticleBase {
        private final String host;
        private final int listenPort;
        private final SocketAddress mqttAddress;
        private final int maxMessageBytes;
        private NetClient hop;

        FrontVerticle(String host, int listenPort, SocketAddress mqttAddress, int maxMessageBytes) {
            this.host = host;
            this.listenPort = listenPort;
            this.mqttAddress = mqttAddress;
            this.maxMessageBytes = maxMessageBytes;
        }

        @Override
        public Future<?> start() {
            hop = vertx.createNetClient(new NetClientOptions().setTcpNoDelay(true));
            HttpServer server = vertx.createHttpServer(new HttpServerOptions()
                    .setHost(host)
                    .setPort(listenPort)
                    .setTcpNoDelay(true)
                    // MQTT over WebSocket names its subprotocol "mqtt"; older clients send "mqttv3.1".
                    .setWebSocketSubProtocols(List.of("mqtt", "mqttv3.1"))
                    .setMaxWebSocketFrameSize(maxMessageBytes)
                    .setMaxWebSocketMessageSize(maxMessageBytes));
            server.webSocketHandshakeHandler(this::upgrade);
            server.webSocketHandler(ws -> {
            });
            return server.listen()
                    .map(listening -> {
                        if (!port.compareAndSet(0, listening.actualPort()) && port.get() != listening.actualPort()) {
                            throw new IllegalStateException("front instances listen on different ports");
                        }
                        return listening;
                    });
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
                        socket.closeHandler(v -> upgrades.remove(hopPort, request));
                        handshake.accept()
                                .onSuccess(ws -> join(ws, socket))
                                .onFailure(e -> socket.close());
                    })
                    .onFailure(e -> {
                        LOG.warn("could not reach the MQTT server at {}: {}", mqttAddress, e.toString());
                        handshake.reject(503);
                    });
        }
    }

    private void join(ServerWebSocket ws, NetSocket socket) {
        // MQTT over WebSocket ignores frame boundaries (MQTT 3.1.1, 6.0), so bytes can flow either way as read;
        // only the client's keep-alive in CONNECT is raised on the way in.
        socket.pipeTo(ws);
        KeepAliveFloor floor = new KeepAliveFloor(minKeepAliveSeconds);
        ws.handler(bytes -> {
            Buffer out = floor.apply(bytes);
            if (out.length() > 0) {
                socket.write(out);
            }
            if (socket.writeQueueFull()) {
                ws.pause();
                socket.drainHandler(drained -> ws.resume());
            }
        });
        ws.endHandler(ended -> socket.end());
        ws.exceptionHandler(failure -> socket.close());
    }
}
