package dev.tether.wire;

import java.util.Arrays;
import java.util.stream.Collectors;

/** Why a responder ended a session, as the {@code end} message's {@code reason} names it. */
public enum EndReason {
    /** No request within the idle timeout. */
    IDLE("idle"),
    /** The responder's hard deadline came. */
    DEADLINE("deadline"),
    /** The client disconnected. */
    CLIENT_GONE("client-gone"),
    /** The responder is shutting down. */
    SHUTDOWN("shutdown"),
    /** The responder handed the session off to another. */
    HANDOFF("handoff"),
    /** The responder's connection died; its MQTT will says so. */
    RESPONDER_LOST("responder-lost");

    private final String wireName;

    EndReason(String wireName) {
        this.wireName = wireName;
    }

    /** The reason as it is written on the wire. */
    public String wireName() {
        return wireName;
    }

    /** The reason for a wire name; refuses an unknown one, listing the known. */
    public static EndReason fromWireName(String name) {
        for (EndReason reason : values()) {
            if (reason.wireName.equals(name)) {
                return reason;
            }
        }
        throw new WireFormatInvalid("an end message's \"reason\" must be one of "
                + Arrays.stream(values()).map(EndReason::wireName).collect(Collectors.joining(", "))
                + "; got \"" + name + "\"");
    }
}
