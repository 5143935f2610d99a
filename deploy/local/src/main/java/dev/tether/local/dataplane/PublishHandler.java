package dev.tether.local.dataplane;

import dev.tether.IotLimits;
import dev.tether.local.iam.Decision;
import dev.tether.local.iam.Identity;
import dev.tether.local.iam.IdentityStore;
import dev.tether.local.iot.IotBroker;
import dev.tether.local.iot.Message;
import dev.tether.sigv4.RequestSigner;
import dev.tether.sigv4.SigV4Verifier;
import dev.tether.sigv4.Verification;
import dev.tether.topic.Topics;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Map;
import java.util.UUID;

/**
 * The IoT data plane's Publish API, {@code POST /topics/{topic}?qos=0|1} (AWS IoT API reference, "Publish"):
 * SigV4 header signing for service {@code iotdata}, then iot:Publish on {@code topic/<topic>} as for MQTT
 * clients, then routing through the broker. The topic is one percent-encoded path segment ({@code a%2Fb}).
 *
 * <p>Answers {@code 200 {"message":"OK"}}, or an error with {@code x-amzn-ErrorType} and a JSON message: 400
 * InvalidRequestException (bad topic or QoS), 403 ForbiddenException (signature or policy), 413
 * RequestEntityTooLargeException (payload over 128 KB). Runs on the HTTP server's event loop and does no I/O.
 */
public final class PublishHandler implements Handler<RoutingContext> {
    private static final Logger LOG = LoggerFactory.getLogger(PublishHandler.class);
    private static final String PATH_PREFIX = "/topics/";

    private final IotBroker broker;
    private final IdentityStore identities;
    private final SigV4Verifier verifier;

    /**
     * @param broker where authorized messages are routed
     * @param identities the keys that may publish
     * @param region the region requests must be scoped to
     * @param clock the time signatures are judged by
     */
    public PublishHandler(IotBroker broker, IdentityStore identities, String region, Clock clock) {
        this.broker = broker;
        this.identities = identities;
        this.verifier = SigV4Verifier.builder()
                .credentials(identities::credentials)
                .region(region)
                .service(RequestSigner.IOT_DATA_SERVICE)
                .clock(clock)
                .build();
    }

    @Override
    public void handle(RoutingContext context) {
        HttpServerRequest request = context.request();
        SignedRequest signed = SignedRequest.verify(verifier, context);
        String rawPath = signed.rawPath();
        Buffer body = signed.body();

        Verification verification = signed.verification();
        if (verification instanceof Verification.Refused refused) {
            LOG.info("data-plane publish refused, {}: {}", refused.reason(), refused.message());
            error(context, 403, "ForbiddenException", refused.message());
            return;
        }
        String accessKeyId = ((Verification.Accepted) verification).accessKeyId();
        Identity identity = identities.find(accessKeyId).orElse(null);
        if (identity == null) {
            error(context, 403, "ForbiddenException", "access key " + accessKeyId + " has expired");
            return;
        }
        String topic;
        try {
            // A '+' in a path is itself, not a space, so it is protected before decoding.
            topic = URLDecoder.decode(rawPath.substring(PATH_PREFIX.length()).replace("+", "%2B"),
                    StandardCharsets.UTF_8);
            Topics.validateTopicName(topic);
        } catch (IllegalArgumentException e) {
            error(context, 400, "InvalidRequestException", e.getMessage());
            return;
        }
        String qosText = request.getParam("qos", "0");
        if (!"0".equals(qosText) && !"1".equals(qosText)) {
            error(context, 400, "InvalidRequestException", "qos '" + qosText + "' is not allowed; use 0 or 1");
            return;
        }
        if (body.length() > IotLimits.MAX_PAYLOAD_BYTES) {
            error(context, 413, "RequestEntityTooLargeException", "the payload has " + body.length()
                    + " bytes; AWS IoT Core allows at most " + IotLimits.MAX_PAYLOAD_BYTES);
            return;
        }
        if (topic.startsWith(IotBroker.EVENTS_PREFIX)) {
            error(context, 403, "ForbiddenException", "topic " + topic + " is reserved for AWS IoT Core's events");
            return;
        }
        Decision decision = identity.permissions().evaluate("iot:Publish", broker.arns().topic(topic), Map.of());
        if (!decision.isAllowed()) {
            LOG.info("data-plane publish: key {} is denied iot:Publish on {} ({})", accessKeyId, topic, decision);
            error(context, 403, "ForbiddenException", "key " + accessKeyId + " is not authorized to publish to "
                    + topic);
            return;
        }
        broker.publish(new Message(topic, body, Integer.parseInt(qosText), false))
                .onSuccess(v -> context.response()
                        .putHeader("Content-Type", "application/json")
                        .end(new JsonObject()
                                .put("message", "OK")
                                .put("traceId", UUID.randomUUID().toString())
                                .encode()))
                .onFailure(context::fail);
    }

    private static void error(RoutingContext context, int status, String type, String message) {
        context.response()
                .setStatusCode(status)
                .putHeader("x-amzn-ErrorType", type)
                .putHeader("Content-Type", "application/json")
                .end(new JsonObject()
                        .put("message", message)
                        .put("traceId", UUID.randomUUID().toString())
                        .encode());
    }
}
