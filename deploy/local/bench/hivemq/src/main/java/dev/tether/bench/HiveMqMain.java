package dev.tether.bench;

import com.hivemq.embedded.EmbeddedHiveMQ;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Runs HiveMQ CE embedded with one WebSocket listener, {@code ws://127.0.0.1:<port>/mqtt}, no TCP listener and
 * no extensions (so every client is allowed), until the process is stopped. Prints {@code READY} when it listens.
 * Usage: {@code HiveMqMain <port> <work folder>}.
 */
public final class HiveMqMain {
    private HiveMqMain() {
    }

    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args[0]);
        Path work = Path.of(args[1]);
        Path conf = Files.createDirectories(work.resolve("conf"));
        Files.writeString(conf.resolve("config.xml"), """
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
                    </listeners>
                    <anonymous-usage-statistics>
                        <enabled>false</enabled>
                    </anonymous-usage-statistics>
                </hivemq>
                """.formatted(port));
        EmbeddedHiveMQ hivemq = EmbeddedHiveMQ.builder()
                .withConfigurationFolder(conf)
                .withDataFolder(Files.createDirectories(work.resolve("data")))
                .withExtensionsFolder(Files.createDirectories(work.resolve("extensions")))
                .build();
        hivemq.start().join();
        System.out.println("READY");
        Thread.currentThread().join();
    }
}
