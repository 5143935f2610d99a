package dev.tether.config;

import java.util.Optional;

/**
 * The environment variables Tether reads, each with its default and a one-line description, so that the README's
 * configuration table can be checked against the code.
 */
public enum ConfigVariable {
    /** The AWS IoT Core data endpoint host. */
    AWS_IOT_HOST(null, false,
            "AWS IoT Core data endpoint host, e.g. abc123-ats.iot.us-east-1.amazonaws.com; required unless "
                    + "TETHER_ENDPOINT is set"),
    /** The AWS region. */
    AWS_REGION(null, false, "AWS region of IoT Core and STS, e.g. us-east-1; required"),
    /** A broker endpoint that replaces AWS IoT Core. */
    TETHER_ENDPOINT(null, false,
            "MQTT-over-WebSocket URL of a broker other than AWS IoT Core, ws:// or wss:// with host and path, "
                    + "e.g. ws://127.0.0.1:9001/mqtt; optional"),
    /** The topic prefix. */
    TETHER_TOPIC_PREFIX("tether", false,
            "prefix of all Tether topics: segments of A-Z a-z 0-9 _ - separated by single slashes"),
    /** The idle timeout of a responder. */
    TETHER_IDLE_TIMEOUT_SECONDS("30", false,
            "seconds a responder waits for the next request before it ends the session, 1 to 3600"),
    /** The channel secret. */
    TETHER_CHANNEL_SECRET(null, true,
            "secret shared by the session service and the responder to sign channel ids, at least 32 bytes; "
                    + "required"),
    /** How long a channel id stays valid. */
    TETHER_CHANNEL_TTL_SECONDS("300", false,
            "seconds a channel id may wait for its session message before it expires, 10 to 86400"),
    /** The X-Amz-Expires of presigned URLs. */
    TETHER_URL_EXPIRES_SECONDS("300", false,
            "X-Amz-Expires of presigned URLs in seconds, 1 to 604800"),
    /** The role the session service assumes for scoped client credentials. */
    TETHER_CLIENT_ROLE_ARN(null, false,
            "IAM role assumed for scoped client credentials, arn:aws:iam::<account>:role/<name>; optional, "
                    + "without it URLs are signed with the service's own credentials"),
    /** The origins allowed to call the session service from a browser. */
    TETHER_ALLOWED_ORIGINS("", false,
            "comma-separated origins allowed by CORS, e.g. https://app.example.com; empty allows none, "
                    + "* alone allows any"),
    /** The HTTP port. */
    TETHER_HTTP_PORT("8080", false, "HTTP port of the session service, 0 to 65535 (0 picks a free port)"),
    /** How many sessions the session service keeps minted ahead. */
    TETHER_SESSION_POOL_SIZE("32", false,
            "sessions (channel id and scoped credentials) the session service mints ahead of requests, 0 to 100000; "
                    + "0 mints each on demand"),
    /** The session handler the responder runs. */
    TETHER_HANDLER_CLASS("dev.tether.responder.PongHandler", false,
            "class of the SessionHandler the responder makes for each session, public with a public constructor "
                    + "without parameters"),
    /** The longest session a responder serves. */
    TETHER_MAX_SESSION_SECONDS("3600", false,
            "seconds a responder serves one session at most before it ends it with deadline, 1 to 86400; on "
                    + "Lambda the invocation's remaining time is shorter"),
    /** How long a responder waits for rival claims on its channel. */
    TETHER_CLAIM_WINDOW_MILLIS("200", false,
            "milliseconds a responder waits, once its claim on a channel is back from the broker, for rival claims "
                    + "from duplicates of the same session message, 0 to 5000"),
    /** The shared-subscription group of container responders. */
    TETHER_SHARE_GROUP("tether-responders", false,
            "group of the container responders' shared subscription $share/<group>/<prefix>/session: letters, "
                    + "digits, _ and -, at most 64"),
    /** The shutdown grace period of the container responder. */
    TETHER_SHUTDOWN_GRACE_SECONDS("30", false,
            "seconds the container responder takes after SIGTERM to end its sessions and exit, 1 to 120 "
                    + "(Fargate's stopTimeout)"),
    /** The IoT data-plane endpoint of the single-answer mode. */
    TETHER_DATA_ENDPOINT(null, false,
            "base URL of the IoT data plane for single answers (POST /topics/...), http:// or https:// with host and "
                    + "optional port, e.g. http://127.0.0.1:9002; optional, https://<AWS_IOT_HOST> without it"),
    /** The HTTP port of the container responder's health and metrics. */
    TETHER_RESPONDER_HTTP_PORT("8081", false,
            "HTTP port of the container responder's /health/live, /health/ready and /metrics, 0 to 65535 (0 picks "
                    + "a free port)");

    private final String defaultValue;
    private final boolean secret;
    private final String description;

    ConfigVariable(String defaultValue, boolean secret, String description) {
        this.defaultValue = defaultValue;
        this.secret = secret;
        this.description = description;
    }

    /** The variable's name in the environment; the same as {@link #name()}. */
    public String variableName() {
        return name();
    }

    /** The value used when the variable is not set, or empty when the variable is required or optional. */
    public Optional<String> defaultValue() {
        return Optional.ofNullable(defaultValue);
    }

    /** Whether the value is a secret, never to be shown in a message or log line. */
    public boolean isSecret() {
        return secret;
    }

    /** One line saying what the variable does and what it allows. */
    public String description() {
        return description;
    }
}
