/**
 * Channel ids that carry their own proof: 128 random bits, an expiry and a MAC under the channel secret the session
 * service and the responder share, so a responder can tell an issued channel from a forged or expired one with
 * nothing but the id.
 */
package dev.tether.channel;
