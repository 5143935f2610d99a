package dev.tether.responder;

/**
 * The channel has a responder already, in this process or another; the session message was a duplicate (a Lambda
 * retry, a replay) and nothing was started.
 */
public final class ChannelAlreadyServed extends RuntimeException {
    private static final long serialVersionUID = 1L;

    ChannelAlreadyServed(String message) {
        super(message);
    }
}
