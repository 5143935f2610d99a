package dev.tether.responder;

import dev.tether.channel.ChannelId;
import dev.tether.channel.ChannelIdInvalid;
import dev.tether.channel.ChannelIds;
import dev.tether.wire.SessionMessage;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts one {@link ResponderVerticle} per session message, the part both entrypoints share.
 *
 * <p>It verifies the channel id before anything else, so a forged or expired one never opens a connection; it
 * starts at most one responder per channel in this process, and the verticle's claim on the broker keeps it to
 * one across processes.
 *
 * <p>Threading: methods may be called from any thread and never block.
 */
public final class ResponderService {
    private static final Logger LOG = LoggerFactory.getLogger(ResponderService.class);

    private final Vertx vertx;
    private final ResponderSettings settings;
    private final ChannelIds channelIds;
    private final Supplier<Future<String>> urls;
    private final Supplier<SessionHandler> handlers;
    private final Clock clock;
    private final Map<String, ResponderVerticle> active = new ConcurrentHashMap<>();
    private volatile boolean stopping;

    /**
     * A service.
     *
     * @param urls     a fresh presigned URL for each connection attempt of any responder
     * @param handlers makes one handler for each session
     * @param clock    judges channel id expiry, deadlines and durations
     */
    public ResponderService(Vertx vertx, ResponderSettings settings, ChannelIds channelIds,
            Supplier<Future<String>> urls, Supplier<SessionHandler> handlers, Clock clock) {
        this.vertx = Objects.requireNonNull(vertx, "vertx");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.channelIds = Objects.requireNonNull(channelIds, "channelIds");
        this.urls = Objects.requireNonNull(urls, "urls");
        this.handlers = Objects.requireNonNull(handlers, "handlers");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * Serves the session a session message asks for.
     *
     * @param message  the session message as the client published it
     * @param deadline when the session must end at the latest, if the runtime sets one
     * @return the session's summary once it ended, or a failure: {@link ChannelIdInvalid} for a forged, expired or
     *         malformed channel id (no connection made), {@link ChannelAlreadyServed} for a duplicate,
     *         {@link ResponderStopping} during shutdown, or the MQTT client's failure to reach the broker
     */
    public Future<SessionSummary> serve(SessionMessage message, Optional<Instant> deadline) {
        Objects.requireNonNull(message, "message");
        Objects.requireNonNull(deadline, "deadline");
        if (stopping) {
            return Future.failedFuture(new ResponderStopping("the responder is shutting down; channel "
                    + message.channelId() + " was not started"));
        }
        ChannelId channel;
        try {
            channel = channelIds.verify(message.channelId());
        } catch (ChannelIdInvalid e) {
            LOG.warn("{} session message refused ({}): {}", message.channelId(), e.reason(), e.getMessage());
            return Future.failedFuture(e);
        }
        ResponderVerticle verticle = new ResponderVerticle(channel, settings, handlers.get(), urls, clock, deadline);
        if (active.putIfAbsent(channel.value(), verticle) != null) {
            LOG.info("{} session message for a channel this process serves already; ignored", channel.value());
            return Future.failedFuture(new ChannelAlreadyServed("channel " + channel.value()
                    + " is served in this process already"));
        }
        return vertx.deployVerticle(verticle)
                .compose(deploymentId -> verticle.summary())
                .onComplete(done -> active.remove(channel.value(), verticle));
    }

    /** Sessions being served now. */
    public int activeSessions() {
        return active.size();
    }

    /**
     * Takes no new sessions, and ends each active one with {@code end: shutdown} after the answers it is sending.
     * Completes when all have ended.
     */
    public Future<Void> shutdown() {
        stopping = true;
        return endAll();
    }

    /**
     * Ends each active session with {@code end: shutdown} after the answers it is sending, and goes on taking new
     * sessions; before a SnapStart snapshot, for instance. Completes when all have ended.
     */
    public Future<Void> endAll() {
        List<Future<?>> ending = new ArrayList<>();
        for (ResponderVerticle verticle : active.values()) {
            ending.add(verticle.shutdown()
                    .recover(failure -> Future.succeededFuture()));
        }
        return Future.join(ending).mapEmpty();
    }
}
