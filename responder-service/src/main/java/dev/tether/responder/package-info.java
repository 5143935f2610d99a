/**
 * The responder: one non-blocking verticle per channel, the handler interface users implement, and the service that
 * verifies session messages and makes sure each channel has at most one responder. The {@code lambda} and
 * {@code container} packages are thin entrypoints around this runtime-neutral core.
 */
package dev.tether.responder;
