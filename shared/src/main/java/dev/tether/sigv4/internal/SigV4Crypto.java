package dev.tether.sigv4.internal;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * SHA-256 and HMAC-SHA256 for SigV4, with one MessageDigest and one Mac per thread: getting a new instance
 * per call costs a provider lookup each time, and neither class is thread-safe.
 */
public final class SigV4Crypto {
    /** The JCA name of HMAC-SHA256. */
    public static final String HMAC_SHA256 = "HmacSHA256";

    private static final HexFormat HEX = HexFormat.of();

    private static final ThreadLocal<MessageDigest> SHA256 = ThreadLocal.withInitial(() -> {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("this JVM has no SHA-256, which every Java SE platform must have", e);
        }
    });

    private static final ThreadLocal<Mac> HMAC = ThreadLocal.withInitial(() -> {
        try {
            return Mac.getInstance(HMAC_SHA256);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("this JVM has no HmacSHA256, which every Java SE platform must have", e);
        }
    });

    private SigV4Crypto() {
    }

    /** Lower-case hex SHA-256 of the bytes. */
    public static String sha256Hex(byte[] data) {
        return HEX.formatHex(SHA256.get().digest(data));
    }

    /** Lower-case hex SHA-256 of the UTF-8 bytes of the text. */
    public static String sha256Hex(String text) {
        return sha256Hex(text.getBytes(StandardCharsets.UTF_8));
    }

    /** HMAC-SHA256 of the UTF-8 bytes of the text under the key. */
    public static byte[] hmacSha256(SecretKeySpec key, String text) {
        Mac mac = HMAC.get();
        try {
            mac.init(key);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 refused a raw key", e);
        }
        return mac.doFinal(text.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Derives the SigV4 signing key: HMAC chained over date stamp, region, service and {@code aws4_request},
     * starting from {@code "AWS4" + secret} (AWS documentation, "Calculate the signature for AWS Signature
     * Version 4").
     */
    public static SecretKeySpec deriveSigningKey(String secretAccessKey, String dateStamp, String region,
            String service) {
        byte[] key = ("AWS4" + secretAccessKey).getBytes(StandardCharsets.UTF_8);
        key = hmacSha256(new SecretKeySpec(key, HMAC_SHA256), dateStamp);
        key = hmacSha256(new SecretKeySpec(key, HMAC_SHA256), region);
        key = hmacSha256(new SecretKeySpec(key, HMAC_SHA256), service);
        key = hmacSha256(new SecretKeySpec(key, HMAC_SHA256), Canonicalizer.SCOPE_TERMINATOR);
        return new SecretKeySpec(key, HMAC_SHA256);
    }

    /** Signature bytes of a string to sign under a derived signing key. */
    public static byte[] signature(SecretKeySpec signingKey, String stringToSign) {
        return hmacSha256(signingKey, stringToSign);
    }

    /** Lower-case hex of the bytes. */
    public static String hex(byte[] bytes) {
        return HEX.formatHex(bytes);
    }
}
