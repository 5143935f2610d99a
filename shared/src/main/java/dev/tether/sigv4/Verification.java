package dev.tether.sigv4;

import java.util.Objects;
import java.util.Optional;

/**
 * What {@link SigV4Verifier} decided about one request: {@link Accepted} or {@link Refused}.
 */
public sealed interface Verification permits Verification.Accepted, Verification.Refused {
    /** Whether the request was accepted. */
    boolean isAccepted();

    /**
     * The signature is valid, in time and in scope, and the session token is the one issued with the key.
     *
     * @param accessKeyId the access key id that signed the request
     * @param sessionToken the session token the request carried, if any
     */
    record Accepted(String accessKeyId, Optional<String> sessionToken) implements Verification {
        /** Refuses nulls. */
        public Accepted {
            Objects.requireNonNull(accessKeyId, "accessKeyId");
            Objects.requireNonNull(sessionToken, "sessionToken");
        }

        @Override
        public boolean isAccepted() {
            return true;
        }

        /** Says whether there is a session token, never what it is. */
        @Override
        public String toString() {
            return "Accepted[accessKeyId=" + accessKeyId + ", sessionToken="
                    + (sessionToken.isPresent() ? "present" : "none") + ']';
        }
    }

    /**
     * The request was refused.
     *
     * @param reason the rule it broke
     * @param message what exactly was wrong, safe to log and to send back: it holds no secret, session token or
     *        URL
     */
    record Refused(Reason reason, String message) implements Verification {
        /** Refuses nulls. */
        public Refused {
            Objects.requireNonNull(reason, "reason");
            Objects.requireNonNull(message, "message");
        }

        @Override
        public boolean isAccepted() {
            return false;
        }
    }

    /** Why a request was refused. */
    enum Reason {
        /** A parameter or header is missing, repeated, too long or unparseable; the message says which. */
        MALFORMED,
        /** The access key id is not one the verifier knows. */
        UNKNOWN_ACCESS_KEY,
        /** The signature is not the one the key gives for this request. */
        SIGNATURE_MISMATCH,
        /** X-Amz-Date plus X-Amz-Expires has passed. */
        EXPIRED,
        /** X-Amz-Date is further from the verifier's clock than the allowed skew, in either direction. */
        DATE_SKEW,
        /** The credential scope names another region. */
        SCOPE_REGION,
        /** The credential scope names another service. */
        SCOPE_SERVICE,
        /** The credential scope's date is not the date of X-Amz-Date. */
        SCOPE_DATE,
        /** The session token is missing, unexpected, or not the one issued with the access key id. */
        TOKEN_MISMATCH,
        /**
         * The presigned URL's X-Amz-Security-Token is inside the canonical query; AWS IoT Core refuses such
         * URLs, the token must be appended after signing.
         */
        TOKEN_SIGNED
    }
}
