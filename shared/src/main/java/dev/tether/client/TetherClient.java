package dev.tether.client;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.Objects;

/**
 * Opens Tether sessions from Java.
 *
 * <pre>{@code
 * TetherClient.open(vertx, "http://127.0.0.1:8080/session")
 *         .compose(session -> session.request(new JsonObject().put("message", "PING"))
 *                 .eventually(session::close))
 *         .onSuccess(answer -> System.out.println(answer.getString("message")));
 * }</pre>
 */
public final class TetherClient {
    private TetherClient() {
    }

    /** Opens a session with the default options; see {@link #open(Vertx, TetherClientOptions)}. */
    public static Future<TetherSession> open(Vertx vertx, String sessionServiceUrl) {
        Objects.requireNonNull(sessionServiceUrl, "sessionServiceUrl");
        return open(vertx, TetherClientOptions.of(sessionServiceUrl));
    }

    /**
     * Asks the session service for a session ({@code GET}), connects to the presigned URL it returns, subscribes to
     * the response topic, publishes the session message and waits for the responder's {@code ready}.
     *
     * <p>Threading: the session lives on the caller's Vert.x context (or a new one when called off any context);
     * its handlers and futures run there.
     *
     * @return the ready session, or a failure: {@link SessionServiceFailed}, {@link ResponderNotReady}, or the
     *         MQTT client's {@link dev.tether.mqtt.ConnectionRefused}, {@link dev.tether.mqtt.ConnectionLost} or
     *         {@link dev.tether.mqtt.SubscriptionRefused}
     */
    public static Future<TetherSession> open(Vertx vertx, TetherClientOptions options) {
        Objects.requireNonNull(vertx, "vertx");
        Objects.requireNonNull(options, "options");
        return TetherSession.open(vertx, options);
    }
}
