package dev.tether.credentials;

import java.util.Map;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

/**
 * Credentials from a map of environment variables rather than the process's own environment, for a service that
 * shares its JVM with others (the local Lambda stand-in's in-process mode gives each function its own variables).
 */
public final class EnvironmentCredentials {
    private EnvironmentCredentials() {
    }

    /**
     * The keys in {@code AWS_ACCESS_KEY_ID}, {@code AWS_SECRET_ACCESS_KEY} and, when set, {@code AWS_SESSION_TOKEN};
     * the AWS SDK's default chain when the map holds no keys.
     */
    public static AwsCredentialsProvider provider(Map<String, String> env) {
        String keyId = env.get("AWS_ACCESS_KEY_ID");
        String secret = env.get("AWS_SECRET_ACCESS_KEY");
        String token = env.get("AWS_SESSION_TOKEN");
        if (keyId == null || keyId.isBlank() || secret == null || secret.isBlank()) {
            return DefaultCredentialsProvider.builder().build();
        }
        if (token == null || token.isBlank()) {
            return StaticCredentialsProvider.create(AwsBasicCredentials.create(keyId, secret));
        }
        return StaticCredentialsProvider.create(AwsSessionCredentials.create(keyId, secret, token));
    }
}
