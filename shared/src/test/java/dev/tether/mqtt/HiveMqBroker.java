package dev.tether.mqtt;

import com.hivemq.embedded.EmbeddedExtension;
import com.hivemq.embedded.EmbeddedHiveMQ;
import com.hivemq.extension.sdk.api.ExtensionMain;
import com.hivemq.extension.sdk.api.auth.SimpleAuthenticator;
import com.hivemq.extension.sdk.api.auth.SubscriptionAuthorizer;
import com.hivemq.extension.sdk.api.parameter.ExtensionStartInput;
import com.hivemq.extension.sdk.api.parameter.ExtensionStartOutput;
import com.hivemq.extension.sdk.api.parameter.ExtensionStopInput;
import com.hivemq.extension.sdk.api.parameter.ExtensionStopOutput;
import com.hivemq.extension.sdk.api.services.Services;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.concurrent.ExecutionException;
import java.util.stream.Stream;

/**
 * HiveMQ Community Edition, embedded in the test JVM, with one MQTT-over-WebSocket listener on loopback at
 * {@code /mqtt} offering the {@code mqtt} subprotocol.
 *
 * <p>HiveMQ cannot report the port a listener bound to port 0, so the broker takes a free port found by binding a
 * server socket to port 0 first, and keeps it across {@link #restart()}, so that a client reconnecting to the same
 * URL finds it again. Sessions are kept in memory, as a test needs no more, so a restart forgets them. Overload
 * protection is off and client queues are deep, so that a burst slows the broker down rather than losing messages
 * or dropping connections, which would make the benchmark measure the broker's policy instead of the clients.
 *
 * <p>An embedded extension plays the part of AWS IoT Core's policy: it refuses CONNECT from the user name
 * {@value #REFUSED_USER} (CONNACK return code 5, not authorized) and SUBSCRIBE to filters starting with
 * {@value #DENIED_FILTER_PREFIX} (SUBACK 0x80).
 *
 * <p>Threading: start, stop and restart block the calling thread; call them from test methods, never from an
 * event loop.
 */
public final class HiveMqBroker implements AutoCloseable {
    public static final String REFUSED_USER = "intruder";
    public static final String DENIED_FILTER_PREFIX = "denied/";

    /**
     * The request target of a second WebSocket listener, shaped like a SigV4-presigned URL's. HiveMQ upgrades a
     * request only when its URI equals the listener's path exactly, so a connection there proves that the client
     * sent the path and query byte for byte.
     */
    public static final String SIGNED_TARGET = "/mqtt?X-Amz-Algorithm=AWS4-HMAC-SHA256"
            + "&X-Amz-Credential=ASIAEXAMPLE%2F20261203%2Fus-east-1%2Fiotdevicegateway%2Faws4_request"
            + "&X-Amz-Date=20261203T190000Z&X-Amz-SignedHeaders=host"
            + "&X-Amz-Signature=" + "0123456789abcdef".repeat(4)
            + "&X-Amz-Security-Token=" + "IQoJb3JpZ2luX2VjE%2B%2F%3D".repeat(40);

    private final Path home;
    private final int port;
    private final int signedPort;
    private EmbeddedHiveMQ hiveMq;

    private HiveMqBroker(Path home, int port, int signedPort) {
        this.home = home;
        this.port = port;
        this.signedPort = signedPort;
    }

    /** Writes a configuration into a fresh temporary folder and starts the broker on a free loopback port. */
    public static HiveMqBroker start() {
        try {
            Path home = Files.createTempDirectory("hivemq-");
            Files.createDirectories(home.resolve("conf"));
            Files.createDirectories(home.resolve("data"));
            Files.createDirectories(home.resolve("extensions"));
            int port = freePort();
            int signedPort = freePort();
            Files.writeString(home.resolve("conf").resolve("config.xml"), configXml(port, signedPort));
            HiveMqBroker broker = new HiveMqBroker(home, port, signedPort);
            broker.startHiveMq();
            return broker;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The broker's WebSocket URL, {@code ws://127.0.0.1:<port>/mqtt}. */
    public String url() {
        return "ws://127.0.0.1:" + port + "/mqtt";
    }

    /** The URL of the listener whose path is {@link #SIGNED_TARGET}. */
    public String signedUrl() {
        return "ws://127.0.0.1:" + signedPort + SIGNED_TARGET;
    }

    /** Stops the broker; {@link #startAgain()} brings it back on the same port. */
    public void stop() {
        try {
            hiveMq.stop().get();
            hiveMq.close();
        } catch (ExecutionException | InterruptedException e) {
            throw new IllegalStateException("HiveMQ did not stop", e);
        }
    }

    /** Starts the broker again on the same port and data folder after {@link #stop()}. */
    public void startAgain() {
        startHiveMq();
    }

    @Override
    public void close() {
        stop();
        try (Stream<Path> files = Files.walk(home)) {
            files.sorted(Comparator.reverseOrder())
                    .forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void startHiveMq() {
        hiveMq = EmbeddedHiveMQ.builder()
                .withConfigurationFolder(home.resolve("conf"))
                .withDataFolder(home.resolve("data"))
                .withExtensionsFolder(home.resolve("extensions"))
                .withoutLoggingBootstrap()
                .withEmbeddedExtension(EmbeddedExtension.builder()
                        .withId("tether-test-policy")
                        .withName("Tether test policy")
                        .withVersion("1")
                        .withExtensionMain(new PolicyExtension())
                        .build())
                .build();
        try {
            hiveMq.start().get();
        } catch (ExecutionException | InterruptedException e) {
            throw new IllegalStateException("HiveMQ did not start on port " + port, e);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private static String configXml(int port, int signedPort) {
        return """
                <?xml version="1.0"?>
                <hivemq>
                    <listeners>
                        <websocket-listener>
                            <port>%d</port>
                            <bind-address>127.0.0.1</bind-address>
                            <path>/mqtt</path>
                            <name>websocket</name>
                            <subprotocols>
                                <subprotocol>mqtt</subprotocol>
                            </subprotocols>
                            <allow-extensions>true</allow-extensions>
                        </websocket-listener>
                        <websocket-listener>
                            <port>%d</port>
                            <bind-address>127.0.0.1</bind-address>
                            <path>%s</path>
                            <name>signed</name>
                            <subprotocols>
                                <subprotocol>mqtt</subprotocol>
                            </subprotocols>
                        </websocket-listener>
                    </listeners>
                    <mqtt>
                        <queued-messages>
                            <max-queue-size>100000</max-queue-size>
                        </queued-messages>
                    </mqtt>
                    <overload-protection>
                        <enabled>false</enabled>
                    </overload-protection>
                    <persistence>
                        <mode>in-memory</mode>
                    </persistence>
                    <anonymous-usage-statistics>
                        <enabled>false</enabled>
                    </anonymous-usage-statistics>
                </hivemq>
                """.formatted(port, signedPort, SIGNED_TARGET.replace("&", "&amp;"));
    }

    /** Refuses what {@link HiveMqBroker} promises to refuse and allows everything else. */
    private static final class PolicyExtension implements ExtensionMain {
        @Override
        public void extensionStart(ExtensionStartInput input, ExtensionStartOutput output) {
            SimpleAuthenticator authenticator = (auth, result) -> {
                boolean refused = auth.getConnectPacket().getUserName()
                        .filter(REFUSED_USER::equals)
                        .isPresent();
                if (refused) {
                    result.failAuthentication();
                } else {
                    result.authenticateSuccessfully();
                }
            };
            SubscriptionAuthorizer authorizer = (subscribe, result) -> {
                if (subscribe.getSubscription().getTopicFilter().startsWith(DENIED_FILTER_PREFIX)) {
                    result.failAuthorization();
                } else {
                    result.authorizeSuccessfully();
                }
            };
            Services.securityRegistry().setAuthenticatorProvider(provider -> authenticator);
            Services.securityRegistry().setAuthorizerProvider(provider -> authorizer);
        }

        @Override
        public void extensionStop(ExtensionStopInput input, ExtensionStopOutput output) {
        }
    }
}
