package dev.tether.responder;

/** The responder service is shutting down and takes no new sessions; the session message should go elsewhere. */
public final class ResponderStopping extends RuntimeException {
    private static final long serialVersionUID = 1L;

    ResponderStopping(String message) {
        super(message);
    }
}
