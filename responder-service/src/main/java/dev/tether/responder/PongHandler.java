package dev.tether.responder;

import dev.tether.wire.Request;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

/** The default handler: answers every request with {@code {"message": "PONG"}}, as the original pattern does. */
public final class PongHandler implements SessionHandler {
    @Override
    public Future<Void> onRequest(SessionContext session, Request request, Replies replies) {
        return replies.answer(new JsonObject().put("message", "PONG"));
    }
}
