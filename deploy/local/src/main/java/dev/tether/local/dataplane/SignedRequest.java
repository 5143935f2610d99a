package dev.tether.local.dataplane;

import dev.tether.sigv4.SigV4Verifier;
import dev.tether.sigv4.Verification;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;

/**
 * A request to one of the stand-in's AWS endpoints as its SigV4 signature covers it: the path as sent (SigV4 signs
 * path and query before any decoding), the body, and what the verifier made of the signature in its headers.
 *
 * @param rawPath the path as sent, still percent-encoded
 * @param body the body; empty when there is none
 * @param verification whether the signature holds, and for which access key
 */
public record SignedRequest(String rawPath, Buffer body, Verification verification) {
    /** Reads the request of {@code context}, whose body handler has run, and verifies its header signature. */
    public static SignedRequest verify(SigV4Verifier verifier, RoutingContext context) {
        HttpServerRequest request = context.request();
        Buffer body = context.body().buffer() == null ? Buffer.buffer() : context.body().buffer();
        String uri = request.uri();
        int question = uri.indexOf('?');
        String rawPath = question < 0 ? uri : uri.substring(0, question);
        String rawQuery = question < 0 ? "" : uri.substring(question + 1);
        Verification verification = verifier.verifyHeaderSigned(request.method().name(), rawPath, rawQuery,
                SignedHeaders.of(request), body.getBytes());
        return new SignedRequest(rawPath, body, verification);
    }
}
