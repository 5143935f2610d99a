package dev.tether.responder.lambda;

import dev.tether.responder.ResponderRuntime;
import java.util.concurrent.TimeUnit;
import org.crac.Context;
import org.crac.Resource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Lambda SnapStart's checkpoint and restore hooks (org.crac): before the snapshot, every session still running is
 * ended with {@code end: shutdown} (which closes its MQTT connection) and the cached credentials are dropped, since
 * network connections open at snapshot time are dead after restore and the credentials may be stale (Lambda
 * developer guide, "Lambda SnapStart runtime hooks for Java"). Everything is opened again lazily on first use.
 */
final class SnapStartHooks implements Resource {
    private static final Logger LOG = LoggerFactory.getLogger(SnapStartHooks.class);
    private static final long DRAIN_SECONDS = 10;

    private final ResponderRuntime runtime;

    SnapStartHooks(ResponderRuntime runtime) {
        this.runtime = runtime;
    }

    @Override
    public void beforeCheckpoint(Context<? extends Resource> context) throws Exception {
        int active = runtime.service().activeSessions();
        runtime.service().endAll().await(DRAIN_SECONDS, TimeUnit.SECONDS);
        runtime.prepareForSnapshot();
        LOG.info("before checkpoint: {} sessions ended, data-plane connections closed, credentials dropped", active);
    }

    @Override
    public void afterRestore(Context<? extends Resource> context) {
        LOG.info("after restore: credentials and connections are opened again on first use");
    }
}
