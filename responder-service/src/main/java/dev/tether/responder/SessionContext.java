package dev.tether.responder;

import io.vertx.core.Vertx;

/**
 * What a {@link SessionHandler} may know of its session.
 *
 * @param vertx     the Vert.x instance the responder runs on, for timers and blocking work
 * @param channelId the channel served
 */
public record SessionContext(Vertx vertx, String channelId) {
}
