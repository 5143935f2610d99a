package dev.tether.local;

import dev.tether.local.config.LocalConfig;
import io.vertx.core.Vertx;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.time.Clock;

/**
 * Runs the IoT Core and STS stand-ins until the process is stopped: {@code java dev.tether.local.LocalMain
 * [config.yaml]}. Without a file, {@link LocalConfig#defaults()} apply.
 */
public final class LocalMain {
    private static final Logger LOG = LoggerFactory.getLogger(LocalMain.class);

    private LocalMain() {
    }

    /** @param args at most one argument: the configuration file */
    public static void main(String[] args) {
        if (args.length > 1) {
            System.err.println("usage: LocalMain [config.yaml]");
            System.exit(2);
        }
        LocalConfig config = args.length == 1 ? LocalConfig.load(Path.of(args[0])) : LocalConfig.defaults();
        Vertx vertx = Vertx.vertx();
        vertx.deployVerticle(new LocalAws(config, Clock.systemUTC()))
                .onFailure(e -> {
                    LOG.error("the local stand-ins could not start", e);
                    vertx.close();
                    System.exit(1);
                });
    }
}
