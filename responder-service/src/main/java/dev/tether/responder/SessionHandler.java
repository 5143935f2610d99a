package dev.tether.responder;

import dev.tether.wire.EndReason;
import dev.tether.wire.Request;
import io.vertx.core.Future;

/**
 * What users implement to serve a channel: a fresh handler is made for each session, so it may keep state.
 *
 * <p>Threading: every method is called on the responder verticle's event loop and must not block; work that
 * blocks belongs in {@code vertx.executeBlocking}. A handler answers a request through its {@link Replies}, once or
 * several times, at once or later, and completes the returned future when it has sent everything it means to.
 * A failed future, or an exception thrown, becomes an {@code error} message to the client, and the session goes on.
 */
public interface SessionHandler {
    /** Called once the responder is subscribed, before {@code ready} is published. */
    default Future<Void> onStart(SessionContext session) {
        return Future.succeededFuture();
    }

    /**
     * Called once for each request; a request the broker delivers again with the same id is not passed twice.
     *
     * @param request the request, its id apart from its other fields
     * @param replies where the answers go; each carries the request's id as {@code inReplyTo}
     * @return completes when the handler has sent its last answer to this request
     */
    Future<Void> onRequest(SessionContext session, Request request, Replies replies);

    /** Called once when the session ends, before the {@code end} message is published. */
    default void onEnd(SessionContext session, EndReason reason) {
    }
}
