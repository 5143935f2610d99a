package dev.tether.session;

import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.micrometer.MicrometerMetricsOptions;
import io.vertx.micrometer.VertxPrometheusOptions;

/** Builds the {@link Vertx} both entrypoints run the session service on. */
public final class SessionVertx {
    private SessionVertx() {
    }

    /**
     * A Vert.x whose metrics (HTTP server, pools, event loops) are kept in a Prometheus registry, served by
     * {@code GET /metrics}.
     */
    public static Vertx create() {
        MicrometerMetricsOptions metrics = new MicrometerMetricsOptions()
                .setPrometheusOptions(new VertxPrometheusOptions().setEnabled(true))
                .setJvmMetricsEnabled(true)
                .setEnabled(true);
        return Vertx.vertx(new VertxOptions().setMetricsOptions(metrics));
    }
}
