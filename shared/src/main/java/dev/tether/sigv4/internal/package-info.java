/**
 * The SigV4 canonicalizer, key derivation and signing key cache that the presigner and the verifier share.
 * Not for use outside {@code dev.tether.sigv4}: nothing here is a stable API.
 */
package dev.tether.sigv4.internal;
