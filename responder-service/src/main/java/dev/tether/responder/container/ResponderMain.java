package dev.tether.responder.container;

import dev.tether.responder.ResponderConfig;
import dev.tether.responder.ResponderRuntime;
import dev.tether.responder.ResponderSettings;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.micrometer.MicrometerMetricsOptions;
import io.vertx.micrometer.VertxPrometheusOptions;
import io.vertx.micrometer.backends.BackendRegistries;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The container entrypoint: {@code java -cp ... dev.tether.responder.container.ResponderMain}. Reads the
 * configuration from the environment (a bad value stops it at once with a message naming the variable), starts a
 * {@link ResponderContainer}, and on SIGTERM drains it within {@code TETHER_SHUTDOWN_GRACE_SECONDS}, before Fargate's
 * {@code stopTimeout} sends SIGKILL. On Amazon ECS it also reports the active sessions as a CloudWatch metric (see
 * {@link ActiveSessionsMetric}), which the service's auto scaling tracks.
 */
public final class ResponderMain {
    private static final Logger LOG = LoggerFactory.getLogger(ResponderMain.class);
    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);
    // What the grace period leaves for closing Vert.x once the sessions have ended.
    private static final Duration CLOSE_RESERVE = Duration.ofSeconds(1);
    private static final Duration MAX_END_GRACE = Duration.ofSeconds(5);

    private ResponderMain() {
    }

    /**
     * Runs until SIGTERM.
     *
     * @param args none are read; everything comes from environment variables
     */
    public static void main(String[] args) throws Exception {
        ResponderConfig config = ResponderConfig.fromEnvironment(System.getenv());
        MicrometerMetricsOptions metrics = new MicrometerMetricsOptions()
                .setPrometheusOptions(new VertxPrometheusOptions().setEnabled(true))
                .setJvmMetricsEnabled(true)
                .setEnabled(true);
        Vertx vertx = Vertx.vertx(new VertxOptions().setMetricsOptions(metrics));
        PrometheusMeterRegistry registry = (PrometheusMeterRegistry) BackendRegistries.getDefaultNow();
        ResponderRuntime runtime = ResponderRuntime.withDefaultCredentials(vertx, config, containerSettings(config));

        ResponderContainer container;
        try {
            // The main thread, not an event loop: it may wait for the start.
            container = ResponderContainer.start(vertx, runtime, registry)
                    .await(START_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (RuntimeException | TimeoutException e) {
            LOG.error("the responder did not start", e);
            runtime.close();
            vertx.close();
            System.exit(1);
            return;
        }
        if (ActiveSessionsMetric.onEcs(System.getenv())) {
            new ActiveSessionsMetric(ActiveSessionsMetric.stdout(), config.shareGroup(),
                    runtime.service()::activeSessions).every(vertx, ActiveSessionsMetric.PERIOD);
            LOG.info("reporting active sessions to CloudWatch every {} s", ActiveSessionsMetric.PERIOD.toSeconds());
        }
        Duration grace = config.shutdownGrace();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            LOG.info("SIGTERM: draining within {} s", grace.toSeconds());
            // The JVM's shutdown-hook thread, not an event loop: it waits so that the JVM exits only once drained.
            try {
                container.drain(grace.minus(CLOSE_RESERVE))
                        .await(grace.toMillis(), TimeUnit.MILLISECONDS);
                runtime.close();
                vertx.close().await(CLOSE_RESERVE.toMillis(), TimeUnit.MILLISECONDS);
            } catch (TimeoutException | RuntimeException e) {
                LOG.warn("exiting before the drain finished: {}", e.toString());
            }
        }, "tether-drain"));
        LOG.info("responder running; health and metrics on port {}", container.httpPort());
    }

    /**
     * The configured settings, with an end grace (answers still being sent when a session ends) that leaves time in
     * the shutdown grace period to publish {@code end} and close.
     */
    static ResponderSettings containerSettings(ResponderConfig config) {
        Duration quarter = config.shutdownGrace().dividedBy(4);
        return config.settings().withEndGrace(quarter.compareTo(MAX_END_GRACE) < 0 ? quarter : MAX_END_GRACE);
    }
}
