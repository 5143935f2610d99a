package dev.tether.responder;

import dev.tether.wire.Request;
import io.vertx.core.Future;

/** Answers every request with its own fields, its id apart. */
public final class EchoHandler implements SessionHandler {
    @Override
    public Future<Void> onRequest(SessionContext session, Request request, Replies replies) {
        return replies.answer(request.fields());
    }
}
