package dev.tether.local.iot;

import java.util.Objects;

/**
 * The resource ARNs AWS IoT Core authorizes against (AWS IoT developer guide, "AWS IoT Core policy actions" and
 * "AWS IoT Core action resources"): {@code client/<clientId>} for iot:Connect, {@code topic/<topic>} for
 * iot:Publish and iot:Receive, {@code topicfilter/<filter>} for iot:Subscribe.
 *
 * @param region the region, such as {@code us-east-1}
 * @param accountId the twelve-digit account id
 */
public record IotArns(String region, String accountId) {
    /** Refuses nulls. */
    public IotArns {
        Objects.requireNonNull(region, "region");
        Objects.requireNonNull(accountId, "accountId");
    }

    /** {@code arn:aws:iot:<region>:<account>:client/<clientId>}. */
    public String client(String clientId) {
        return prefix() + "client/" + clientId;
    }

    /** {@code arn:aws:iot:<region>:<account>:topic/<topic>}. */
    public String topic(String topic) {
        return prefix() + "topic/" + topic;
    }

    /** {@code arn:aws:iot:<region>:<account>:topicfilter/<filter>}. */
    public String topicFilter(String filter) {
        return prefix() + "topicfilter/" + filter;
    }

    private String prefix() {
        return "arn:aws:iot:" + region + ':' + accountId + ':';
    }
}
