package dev.tether.topic;

import dev.tether.IotLimits;
import dev.tether.channel.ChannelId;
import dev.tether.channel.ChannelIds;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The topics of one Tether deployment, all under one topic prefix:
 * <ul>
 *   <li>{@code <prefix>/session}, where clients announce a new channel;</li>
 *   <li>{@code <prefix>/<channelId>/request}, client to responder;</li>
 *   <li>{@code <prefix>/<channelId>/response}, responder to client;</li>
 *   <li>{@code <prefix>/<channelId>/claim}, where responders claim a channel with a retained message;</li>
 *   <li>{@code $share/<group>/<prefix>/session}, the shared subscription of container responders;</li>
 *   <li>{@code $aws/events/presence/connected/<clientId>} and {@code $aws/events/presence/disconnected/<clientId>},
 *       AWS IoT's presence events for a client.</li>
 * </ul>
 *
 * <p>The prefix is checked once, here: one or more segments of {@code A-Z a-z 0-9 _ -} separated by single slashes,
 * and short enough that every topic it yields, with the longest channel id, stays within AWS IoT Core's
 * {@value IotLimits#MAX_TOPIC_BYTES} bytes and {@value IotLimits#MAX_TOPIC_SLASHES} slashes. Channel topics take a
 * {@link ChannelId}, so a channel id that was not verified cannot reach a topic.
 *
 * @param prefix the topic prefix, {@value #DEFAULT_PREFIX} unless configured
 */
public record Topics(String prefix) {
    /** The topic prefix when none is configured. */
    public static final String DEFAULT_PREFIX = "tether";

    /** Longest shared subscription group name Tether accepts, in characters. */
    public static final int MAX_GROUP_LENGTH = 128;

    private static final Pattern PREFIX_SHAPE = Pattern.compile("[A-Za-z0-9_-]+(/[A-Za-z0-9_-]+)*");
    private static final Pattern GROUP_SHAPE = Pattern.compile("[A-Za-z0-9_-]+");
    private static final String PRESENCE_CONNECTED = "$aws/events/presence/connected/";
    private static final String PRESENCE_DISCONNECTED = "$aws/events/presence/disconnected/";
    // Basic Ingest: "$aws/rules/<rule-name>/" does not count towards the topic's length or slashes (AWS IoT Core
    // quotas, "Topic size" and "Maximum number of slashes in topic"). AWS's own aws-c-mqtt matches it ignoring case.
    private static final String BASIC_INGEST = "$aws/rules/";
    private static final String LONGEST_SUFFIX = "/" + "x".repeat(ChannelIds.ENCODED_LENGTH) + "/response";

    /**
     * Topics under the given prefix.
     *
     * @throws TopicInvalid if the prefix is not of the allowed shape or makes a topic exceed AWS IoT Core's limits
     */
    public Topics {
        checkPrefix(prefix);
    }

    /** Topics under the default prefix {@value #DEFAULT_PREFIX}. */
    public static Topics withDefaultPrefix() {
        return new Topics(DEFAULT_PREFIX);
    }

    /** {@code <prefix>/session}: clients publish {@code {"channelId": ...}} here to ask for a responder. */
    public String session() {
        return prefix + "/session";
    }

    /** {@code <prefix>/<channelId>/request}: the client publishes requests here. */
    public String request(ChannelId channel) {
        return prefix + "/" + Objects.requireNonNull(channel, "channel").value() + "/request";
    }

    /** {@code <prefix>/<channelId>/response}: the responder publishes answers and control messages here. */
    public String response(ChannelId channel) {
        return prefix + "/" + Objects.requireNonNull(channel, "channel").value() + "/response";
    }

    /**
     * {@code <prefix>/<channelId>/claim}: each responder of the channel publishes a retained claim here, so that at
     * most one serves it.
     */
    public String claim(ChannelId channel) {
        return prefix + "/" + Objects.requireNonNull(channel, "channel").value() + "/claim";
    }

    /**
     * {@code $share/<group>/<prefix>/session}: the topic filter with which container responders share the session
     * topic, each message going to one of them.
     *
     * @throws TopicInvalid if the group is empty, longer than {@value #MAX_GROUP_LENGTH} characters or has a
     *         character outside {@code A-Z a-z 0-9 _ -}
     */
    public String sharedSession(String group) {
        if (group == null || group.isEmpty()) {
            throw new TopicInvalid("shared subscription group is " + (group == null ? "missing (null)" : "empty")
                    + "; allowed are 1 to " + MAX_GROUP_LENGTH + " characters of A-Z a-z 0-9 _ -");
        }
        if (group.length() > MAX_GROUP_LENGTH || !GROUP_SHAPE.matcher(group).matches()) {
            throw new TopicInvalid("shared subscription group " + quote(group) + " is not allowed; allowed are 1 to "
                    + MAX_GROUP_LENGTH + " characters of A-Z a-z 0-9 _ -");
        }
        // AWS IoT Core does not count "$share/<group>/" towards the topic filter's limits; the rest is session().
        return "$share/" + group + "/" + session();
    }

    /**
     * {@code $aws/events/presence/connected/<clientId>}: where AWS IoT Core reports that the client connected.
     *
     * @throws TopicInvalid as {@link #presenceDisconnected(String)} does
     */
    public String presenceConnected(String clientId) {
        return presence(PRESENCE_CONNECTED, clientId);
    }

    /**
     * {@code $aws/events/presence/disconnected/<clientId>}: where AWS IoT Core reports that the client disconnected.
     *
     * @throws TopicInvalid if the client id is empty, longer than {@value IotLimits#MAX_CLIENT_ID_BYTES} UTF-8 bytes,
     *         or holds {@code / + #} or a NUL character
     */
    public String presenceDisconnected(String clientId) {
        return presence(PRESENCE_DISCONNECTED, clientId);
    }

    private static String presence(String event, String clientId) {
        if (clientId == null || clientId.isEmpty()) {
            throw new TopicInvalid("client id is " + (clientId == null ? "missing (null)" : "empty")
                    + "; allowed is 1 to " + IotLimits.MAX_CLIENT_ID_BYTES + " UTF-8 bytes without / + # or NUL");
        }
        for (int i = 0; i < clientId.length(); i++) {
            char c = clientId.charAt(i);
            if (c == '/' || c == '+' || c == '#' || c == '\0') {
                throw new TopicInvalid("client id " + quote(clientId) + " has " + describe(c) + " at index " + i
                        + "; a client id in a topic may not hold / + # or NUL");
            }
        }
        int bytes = utf8Length(clientId, "client id");
        if (bytes > IotLimits.MAX_CLIENT_ID_BYTES) {
            throw new TopicInvalid("client id " + quote(clientId) + " has " + bytes + " UTF-8 bytes; AWS IoT Core "
                    + "allows at most " + IotLimits.MAX_CLIENT_ID_BYTES);
        }
        return validateTopicName(event + clientId);
    }

    /**
     * Checks a topic name (not a filter) against MQTT and AWS IoT Core, and returns it unchanged.
     *
     * <p>Refused: null; empty; the wildcards {@code +} and {@code #}; the NUL character (MQTT 3.1.1, 4.7.3); text
     * that is not valid UTF-16 and so has no UTF-8 form; more than {@value IotLimits#MAX_TOPIC_BYTES} UTF-8 bytes;
     * more than {@value IotLimits#MAX_TOPIC_SLASHES} slashes. Following the AWS IoT Core quotas, the leading
     * {@code $aws/rules/<rule-name>/} of a Basic Ingest topic is left out of both counts; every other reserved
     * {@code $aws/...} topic, such as the presence events, is counted in full.
     *
     * @throws TopicInvalid naming what was wrong and what is allowed
     */
    public static String validateTopicName(String topic) {
        if (topic == null) {
            throw new TopicInvalid("topic name is missing (null)");
        }
        if (topic.isEmpty()) {
            throw new TopicInvalid("topic name is empty; a topic name has at least one character");
        }
        for (int i = 0; i < topic.length(); i++) {
            char c = topic.charAt(i);
            if (c == '+' || c == '#') {
                throw new TopicInvalid("topic name " + quote(topic) + " has the wildcard " + c + " at index " + i
                        + "; wildcards are allowed only in topic filters");
            }
            if (c == '\0') {
                throw new TopicInvalid("topic name " + quote(topic) + " has a NUL character at index " + i
                        + "; MQTT does not allow it");
            }
        }

        String counted = withoutBasicIngestPrefix(topic);
        int bytes = utf8Length(counted, "topic name");
        if (bytes > IotLimits.MAX_TOPIC_BYTES) {
            throw new TopicInvalid("topic name " + quote(topic) + " has " + bytes + " UTF-8 bytes; AWS IoT Core "
                    + "allows at most " + IotLimits.MAX_TOPIC_BYTES);
        }
        long slashes = counted.chars().filter(c -> c == '/').count();
        if (slashes > IotLimits.MAX_TOPIC_SLASHES) {
            throw new TopicInvalid("topic name " + quote(topic) + " has " + slashes + " slashes; AWS IoT Core "
                    + "allows at most " + IotLimits.MAX_TOPIC_SLASHES);
        }
        return topic;
    }

    private static void checkPrefix(String prefix) {
        if (prefix == null) {
            throw new TopicInvalid("topic prefix is missing (null)");
        }
        if (prefix.isEmpty() || !PREFIX_SHAPE.matcher(prefix).matches()) {
            throw new TopicInvalid("topic prefix " + quote(prefix) + " is not allowed; allowed are one or more "
                    + "segments of A-Z a-z 0-9 _ - separated by single slashes, with no slash at either end, "
                    + "for example 'tether' or 'acme/tether'");
        }

        // The response topic with the longest channel id is the longest and deepest topic a prefix yields.
        int fixedBytes = LONGEST_SUFFIX.length();
        int fixedSlashes = 2;
        int maxPrefixBytes = IotLimits.MAX_TOPIC_BYTES - fixedBytes;
        int maxPrefixSlashes = IotLimits.MAX_TOPIC_SLASHES - fixedSlashes;
        long slashes = prefix.chars().filter(c -> c == '/').count();
        if (prefix.length() > maxPrefixBytes || slashes > maxPrefixSlashes) {
            throw new TopicInvalid("topic prefix " + quote(prefix) + " has " + prefix.length() + " characters and "
                    + slashes + " slashes; allowed are at most " + maxPrefixBytes + " characters and "
                    + maxPrefixSlashes + " slashes, so that '<prefix>/<channelId>/response' stays within AWS IoT "
                    + "Core's " + IotLimits.MAX_TOPIC_BYTES + " bytes and " + IotLimits.MAX_TOPIC_SLASHES
                    + " slashes");
        }
    }

    private static String withoutBasicIngestPrefix(String topic) {
        if (!topic.regionMatches(true, 0, BASIC_INGEST, 0, BASIC_INGEST.length())) {
            return topic;
        }
        int endOfRuleName = topic.indexOf('/', BASIC_INGEST.length());
        return endOfRuleName < 0 ? topic : topic.substring(endOfRuleName + 1);
    }

    private static int utf8Length(String text, String what) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                throw new TopicInvalid(what + " has a lone surrogate " + describe(c) + " at index " + i
                        + "; it must be valid Unicode text so that it has a UTF-8 form");
            }
        }
        return text.getBytes(StandardCharsets.UTF_8).length;
    }

    private static String describe(char c) {
        return String.format(Locale.ROOT, "U+%04X", (int) c);
    }

    // Topics and prefixes come from configuration or the network; show a bounded, printable excerpt.
    private static String quote(String text) {
        int limit = 64;
        StringBuilder shown = new StringBuilder("'");
        text.codePoints().limit(limit).forEach(cp -> {
            if (Character.isISOControl(cp) || Character.getType(cp) == Character.FORMAT) {
                shown.append(String.format(Locale.ROOT, "\\u%04X", cp));
            } else {
                shown.appendCodePoint(cp);
            }
        });
        if (text.codePointCount(0, text.length()) > limit) {
            shown.append("...");
        }
        return shown.append('\'').toString();
    }
}
