package dev.tether.local.config;

import dev.tether.local.iam.Policy;

import java.util.Objects;

/**
 * A long-lived access key of a service, as an IAM user's key would be.
 *
 * @param name how logs and presence events name its holder, such as {@code session-service}
 * @param accessKeyId the access key id
 * @param secretAccessKey the secret; never logged
 * @param policy what the key may do
 */
public record StaticKey(String name, String accessKeyId, String secretAccessKey, Policy policy) {
    /** Checks the id's shape and refuses an empty secret. */
    public StaticKey {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(policy, "policy");
        if (accessKeyId == null || !accessKeyId.matches("[A-Z0-9]{16,128}")) {
            throw new LocalConfigInvalid("key '" + name + "': accessKeyId must be 16 to 128 upper-case letters and"
                    + " digits, like AKIAIOSFODNN7EXAMPLE");
        }
        if (secretAccessKey == null || secretAccessKey.isEmpty()) {
            throw new LocalConfigInvalid("key '" + name + "': secretAccessKey is missing");
        }
    }

    /** Names the key and its id only: the secret stays out of logs. */
    @Override
    public String toString() {
        return "StaticKey[name=" + name + ", accessKeyId=" + accessKeyId + ']';
    }
}
