package dev.tether.session;

import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.Objects;

/**
 * One opened session, as {@code GET /session} answers it. Its {@code toString()} leaves out the presigned URL, which
 * carries credentials.
 *
 * @param endpointUrl the presigned MQTT-over-WebSocket URL (named as in the original pattern)
 * @param channelId the channel id (named as in the original pattern)
 * @param clientId the MQTT client id the URL's credentials may connect as
 * @param sessionTopic where the client announces the channel
 * @param requestTopic where the client publishes requests
 * @param responseTopic where the client receives answers
 * @param expiresAt the earliest of the URL's, the credentials' and the channel id's expiry: after it the client
 *        must open a new session
 */
public record Session(String endpointUrl, String channelId, String clientId, String sessionTopic, String requestTopic,
        String responseTopic, Instant expiresAt) {
    /** Checks that nothing is null. */
    public Session {
        Objects.requireNonNull(endpointUrl, "endpointUrl");
        Objects.requireNonNull(channelId, "channelId");
        Objects.requireNonNull(clientId, "clientId");
        Objects.requireNonNull(sessionTopic, "sessionTopic");
        Objects.requireNonNull(requestTopic, "requestTopic");
        Objects.requireNonNull(responseTopic, "responseTopic");
        Objects.requireNonNull(expiresAt, "expiresAt");
    }

    /**
     * The JSON body of {@code GET /session}: {@code endpointUrl}, {@code channelId}, {@code clientId}, {@code topics}
     * ({@code session}, {@code request}, {@code response}) and {@code expiresAt} as an ISO-8601 instant.
     */
    public JsonObject toJson() {
        return new JsonObject()
                .put("endpointUrl", endpointUrl)
                .put("channelId", channelId)
                .put("clientId", clientId)
                .put("topics", new JsonObject()
                        .put("session", sessionTopic)
                        .put("request", requestTopic)
                        .put("response", responseTopic))
                .put("expiresAt", expiresAt.toString());
    }

    @Override
    public String toString() {
        return "Session[channelId=" + channelId + ", clientId=" + clientId + ", expiresAt=" + expiresAt + "]";
    }
}
