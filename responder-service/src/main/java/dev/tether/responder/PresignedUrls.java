package dev.tether.responder;

import dev.tether.credentials.CachedCredentials;
import dev.tether.sigv4.MqttUrlPresigner;
import io.vertx.core.Future;
import java.util.Objects;
import java.util.function.Supplier;

/** URL suppliers for responders. */
public final class PresignedUrls {
    private PresignedUrls() {
    }

    /**
     * A URL presigned afresh for every connection attempt with the current credentials: a presigned URL must be used
     * within minutes, and credentials rotate. Never blocks; resolving credentials runs on a worker.
     */
    public static Supplier<Future<String>> fresh(CachedCredentials credentials, MqttUrlPresigner presigner) {
        Objects.requireNonNull(credentials, "credentials");
        Objects.requireNonNull(presigner, "presigner");
        return () -> credentials.current()
                .map(presigner::presign);
    }
}
