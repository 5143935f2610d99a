/**
 * Tether's wire protocol: the JSON messages on the session, request and response topics, and the session service's
 * HTTP answer, as records that encode to JSON and decode with validation. Decoding refuses what does not fit with
 * {@link dev.tether.wire.WireFormatInvalid}, naming the field and what is allowed.
 */
package dev.tether.wire;
