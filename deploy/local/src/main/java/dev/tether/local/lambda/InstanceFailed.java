package dev.tether.local.lambda;

import java.io.Serial;

/**
 * An instance could not start or died: Lambda answers the invocation with this error type and message (for an
 * init failure, those the runtime reported).
 */
final class InstanceFailed extends RuntimeException {
    @Serial
    private static final long serialVersionUID = 1L;

    private final String errorType;

    InstanceFailed(String errorType, String message) {
        super(message);
        this.errorType = errorType;
    }

    String errorType() {
        return errorType;
    }
}
