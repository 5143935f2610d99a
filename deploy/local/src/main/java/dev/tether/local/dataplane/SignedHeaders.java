package dev.tether.local.dataplane;

import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.HostAndPort;

/** The headers of a request as SigV4 saw them when it was signed. */
public final class SignedHeaders {
    private SignedHeaders() {
    }

    /**
     * The request's headers, with {@code host} added from the authority when absent: over HTTP/2 the host travels
     * as the {@code :authority} pseudo-header, but SigV4 signs it as {@code host} (SigV4 documentation, "Create a
     * canonical request").
     */
    public static MultiMap of(HttpServerRequest request) {
        if (request.headers().contains("host")) {
            return request.headers();
        }
        MultiMap headers = MultiMap.caseInsensitiveMultiMap().addAll(request.headers());
        HostAndPort authority = request.authority();
        if (authority != null) {
            headers.add("host", authority.port() > 0 ? authority.host() + ':' + authority.port() : authority.host());
        }
        return headers;
    }
}
