package dev.tether.responder;

import dev.tether.sigv4.RequestSigner;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import java.net.URI;
import java.util.Objects;
import java.util.function.Supplier;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;

/**
 * Publishes through the AWS IoT data plane's HTTP API, {@code POST /topics/{topic}?qos=1} signed with SigV4 for
 * service {@code iotdata} (AWS IoT API reference, "Publish"), with no MQTT connection: the original pattern's
 * single-answer mode.
 *
 * <p>Threading: {@link #publish} may be called from any thread and never blocks; signing is CPU work only.
 */
public final class DataPlanePublisher {
    private final Supplier<WebClient> client;
    private final URI endpoint;
    private final String host;
    private final RequestSigner signer;
    private final Supplier<Future<AwsCredentialsIdentity>> credentials;

    /**
     * A publisher.
     *
     * @param client      the web client to send with, asked for each publish (it may be replaced after a snapshot)
     * @param endpoint    the data plane's base URL, {@code https://<iot host>} on AWS
     * @param signer      signs for {@code iotdata} in the endpoint's region
     * @param credentials the current credentials, resolved off the event loop
     */
    public DataPlanePublisher(Supplier<WebClient> client, URI endpoint, RequestSigner signer,
            Supplier<Future<AwsCredentialsIdentity>> credentials) {
        this.client = Objects.requireNonNull(client, "client");
        this.endpoint = Objects.requireNonNull(endpoint, "endpoint");
        this.signer = Objects.requireNonNull(signer, "signer");
        this.credentials = Objects.requireNonNull(credentials, "credentials");
        int defaultPort = "https".equals(endpoint.getScheme()) ? 443 : 80;
        // The signature covers the Host header as the web client sends it: without a default port.
        this.host = endpoint.getPort() < 0 || endpoint.getPort() == defaultPort ? endpoint.getHost()
                : endpoint.getHost() + ":" + endpoint.getPort();
    }

    /**
     * Publishes one message at QoS 1.
     *
     * @return completes on {@code 200}; fails with {@link DataPlanePublishFailed} carrying the status and AWS's error
     *         type and message, or with the transport's failure
     */
    public Future<Void> publish(String topic, Buffer payload) {
        String encodedTopic = RequestSigner.encodeTopic(topic);
        byte[] bytes = payload.getBytes();
        return credentials.get()
                .compose(identity -> {
                    var request = client.get()
                            .postAbs(endpoint + "/topics/" + encodedTopic + "?qos=1");
                    signer.signPublish(host, encodedTopic, bytes, identity).forEach(request::putHeader);
                    return request.sendBuffer(payload);
                })
                .compose(response -> response.statusCode() == 200 ? Future.succeededFuture()
                        : Future.failedFuture(failure(topic, response)));
    }

    private static DataPlanePublishFailed failure(String topic, HttpResponse<Buffer> response) {
        String type = response.getHeader("x-amzn-ErrorType");
        String message;
        try {
            JsonObject body = response.bodyAsJsonObject();
            message = body == null ? "" : body.getString("message", "");
        } catch (DecodeException | ClassCastException e) {
            message = "";
        }
        return new DataPlanePublishFailed("publish to " + topic + " answered " + response.statusCode()
                + (type == null ? "" : " " + type) + (message.isEmpty() ? "" : ": " + message), response.statusCode());
    }
}
