package dev.tether.responder;

import io.vertx.core.Vertx;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetSocket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * A TCP proxy on loopback in front of a broker that a test can cut: {@link #cutAndHold()} closes every connection
 * through it without a word to either side, as a lost network does, and refuses new ones until {@link #release()}.
 * Bytes pass untouched, so a presigned URL signed for the proxy's host and port verifies at the broker.
 */
final class CuttableProxy implements AutoCloseable {
    private final NetServer server;
    private final Set<NetSocket> open = ConcurrentHashMap.newKeySet();
    private volatile boolean holding;
    private volatile int connections;

    private CuttableProxy(NetServer server) {
        this.server = server;
    }

    /** Listens on an ephemeral loopback port and forwards to the broker's port. Blocks: call from the test thread. */
    static CuttableProxy start(Vertx vertx, int brokerPort) throws Exception {
        NetClient upstreamClient = vertx.createNetClient();
        NetServer server = vertx.createNetServer();
        CuttableProxy proxy = new CuttableProxy(server);
        server.connectHandler(downstream -> proxy.accept(upstreamClient, downstream, brokerPort));
        server.listen(0, "127.0.0.1").await(Stage.EXPECTED.toSeconds(), TimeUnit.SECONDS);
        return proxy;
    }

    private void accept(NetClient upstreamClient, NetSocket downstream, int brokerPort) {
        if (holding) {
            downstream.close();
            return;
        }
        connections++;
        downstream.pause();
        upstreamClient.connect(brokerPort, "127.0.0.1")
                .onSuccess(upstream -> {
                    open.add(downstream);
                    open.add(upstream);
                    downstream.closeHandler(closed -> upstream.close());
                    upstream.closeHandler(closed -> downstream.close());
                    downstream.handler(upstream::write);
                    upstream.handler(downstream::write);
                    downstream.resume();
                })
                .onFailure(failure -> downstream.close());
    }

    /** The proxy's port. */
    int port() {
        return server.actualPort();
    }

    /** Connections accepted and forwarded so far. */
    int connections() {
        return connections;
    }

    /** Closes every connection through the proxy and refuses new ones until {@link #release()}. */
    void cutAndHold() {
        holding = true;
        for (NetSocket socket : open) {
            socket.close();
        }
        open.clear();
    }

    /** Forwards new connections again. */
    void release() {
        holding = false;
    }

    @Override
    public void close() {
        cutAndHold();
        server.close();
    }
}
