package dev.tether.responder;

import dev.tether.wire.Request;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.json.JsonObject;

/**
 * Answers one request several times, spaced in time: {@code {"count": n, "intervalMillis": m}} brings {@code n}
 * answers {@code {"part": i, "of": n}}, one every {@code m} milliseconds. Shows that an answer may come later and
 * more than once.
 */
public final class StreamingHandler implements SessionHandler {
    /** Most answers to one request. */
    public static final int MAX_COUNT = 100;
    /** Longest spacing between two answers, in milliseconds. */
    public static final long MAX_INTERVAL_MILLIS = 10_000;

    @Override
    public Future<Void> onRequest(SessionContext session, Request request, Replies replies) {
        Object count = request.fields().getValue("count", 3);
        Object interval = request.fields().getValue("intervalMillis", 100);
        if (!(count instanceof Integer n) || n < 1 || n > MAX_COUNT) {
            return Future.failedFuture(new IllegalArgumentException("\"count\" must be a whole number from 1 to "
                    + MAX_COUNT + ", got " + count));
        }
        if (!(interval instanceof Integer millis) || millis < 1 || millis > MAX_INTERVAL_MILLIS) {
            return Future.failedFuture(new IllegalArgumentException("\"intervalMillis\" must be a whole number from "
                    + "1 to " + MAX_INTERVAL_MILLIS + ", got " + interval));
        }
        Promise<Void> done = Promise.promise();
        sendPart(session, replies, 1, n, millis, done);
        return done.future();
    }

    private static void sendPart(SessionContext session, Replies replies, int part, int count, long intervalMillis,
            Promise<Void> done) {
        session.vertx().setTimer(intervalMillis, fired -> replies.answer(new JsonObject()
                        .put("part", part)
                        .put("of", count))
                .onSuccess(sent -> {
                    if (part == count) {
                        done.complete();
                    } else {
                        sendPart(session, replies, part + 1, count, intervalMillis, done);
                    }
                })
                .onFailure(done::fail));
    }
}
