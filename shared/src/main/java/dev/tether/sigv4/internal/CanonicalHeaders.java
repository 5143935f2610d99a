package dev.tether.sigv4.internal;

/**
 * The canonical headers of a request.
 *
 * @param block one {@code name:value} line per header, each ending in a newline
 * @param signedHeaders the lower-case names joined with {@code ;}
 */
public record CanonicalHeaders(String block, String signedHeaders) {
}
