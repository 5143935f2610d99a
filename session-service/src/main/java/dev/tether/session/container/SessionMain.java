package dev.tether.session.container;

import dev.tether.config.ConfigInvalid;
import dev.tether.config.TetherConfig;
import dev.tether.session.SessionService;
import dev.tether.session.SessionSettings;
import dev.tether.session.SessionVerticle;
import dev.tether.session.SessionVertx;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The session service in a container (ECS Fargate, or any host): reads the configuration from the environment,
 * serves HTTP on {@code TETHER_HTTP_PORT} with one verticle per core, and on SIGTERM stops taking connections and
 * lets requests in flight finish before it exits.
 */
public final class SessionMain {
    /**
     * How long SIGTERM waits for requests in flight: within Fargate's default {@code stopTimeout} of 30 s, after which
     * SIGKILL follows (Amazon ECS developer guide, "Task definition parameters").
     */
    public static final Duration SHUTDOWN_GRACE = Duration.ofSeconds(20);

    private static final Logger LOG = LoggerFactory.getLogger(SessionMain.class);

    private SessionMain() {
    }

    /** Starts the service from the process environment; exits with status 2 on bad configuration. */
    public static void main(String[] args) {
        Running running;
        try {
            running = start(System.getenv(), SessionService.Dependencies.defaults(), "0.0.0.0",
                    Runtime.getRuntime().availableProcessors())
                    .await(60, TimeUnit.SECONDS);
        } catch (ConfigInvalid invalid) {
            LOG.error("session service not started: {}", invalid.getMessage());
            System.exit(2);
            return;
        } catch (Exception failure) {
            LOG.error("session service not started", failure);
            System.exit(1);
            return;
        }
        // The JVM runs shutdown hooks on SIGTERM; this thread is no event loop, so it may wait.
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            LOG.info("SIGTERM: stopping, waiting up to {} s for requests in flight", SHUTDOWN_GRACE.toSeconds());
            try {
                running.stop();
            } catch (RuntimeException failure) {
                LOG.warn("stopping did not finish cleanly: {}", failure.toString());
            }
        }, "tether-session-shutdown"));
    }

    /**
     * Starts the service on {@code host} and the configured port.
     *
     * @param instances how many verticles, one per event loop, share the port
     * @throws ConfigInvalid at once, before anything starts, naming every variable with a bad value
     * @return a future completed once the port is open, or failed (and everything started closed) if it cannot be
     */
    public static Future<Running> start(Map<String, String> env, SessionService.Dependencies dependencies,
            String host, int instances) {
        TetherConfig config = TetherConfig.fromEnvironment(env);
        SessionSettings settings = SessionSettings.fromEnvironment(env);
        Objects.requireNonNull(dependencies, "dependencies");

        Vertx vertx = SessionVertx.create();
        SessionService service = SessionService.create(vertx, config, settings, dependencies);
        List<SessionVerticle> verticles = new CopyOnWriteArrayList<>();
        DeploymentOptions options = new DeploymentOptions().setInstances(instances);
        return vertx.deployVerticle(() -> {
            SessionVerticle verticle = new SessionVerticle(service, config.allowedOrigins(), host,
                    config.httpPort(), SHUTDOWN_GRACE);
            verticles.add(verticle);
            return verticle;
        }, options)
                .map(deploymentId -> {
                    Running running = new Running(vertx, service, deploymentId, verticles.get(0).actualPort());
                    LOG.info("session service listening on {}:{}", host, running.port());
                    return running;
                })
                .recover(failure -> {
                    service.close();
                    // Not awaited: a close started on an event loop of this Vert.x completes on no running thread.
                    vertx.close();
                    return Future.failedFuture(failure);
                });
    }

    /**
     * A started service.
     *
     * @param vertx its Vert.x
     * @param service its core
     * @param deploymentId the deployment of its verticles
     * @param port the port it listens on
     */
    public record Running(Vertx vertx, SessionService service, String deploymentId, int port) {
        /**
         * Stops taking connections, waits up to {@link #SHUTDOWN_GRACE} for requests in flight, then closes
         * everything. Blocks the calling thread, which must not be one of this Vert.x's threads (the shutdown hook's
         * is not).
         *
         * @throws IllegalStateException if stopping did not finish within the grace period and a few seconds more
         */
        public void stop() {
            long limitSeconds = SHUTDOWN_GRACE.toSeconds() + 5;
            try {
                vertx.undeploy(deploymentId)
                        .await(limitSeconds, TimeUnit.SECONDS);
            } catch (TimeoutException timedOut) {
                throw new IllegalStateException("requests in flight did not finish within " + limitSeconds + " s",
                        timedOut);
            } finally {
                service.close();
                closeVertx(limitSeconds);
            }
        }

        private void closeVertx(long limitSeconds) {
            try {
                vertx.close()
                        .await(limitSeconds, TimeUnit.SECONDS);
            } catch (TimeoutException timedOut) {
                throw new IllegalStateException("Vert.x did not close within " + limitSeconds + " s", timedOut);
            }
        }
    }
}
