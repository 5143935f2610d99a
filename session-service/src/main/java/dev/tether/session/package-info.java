/**
 * The session service's runtime-neutral core: it opens sessions (a channel id with its proof, a client id, scoped
 * temporary credentials and a presigned URL) and serves them over HTTP with {@link dev.tether.session.SessionVerticle}.
 * The Lambda and container entrypoints in {@code lambda/} and {@code container/} only start this core.
 */
package dev.tether.session;
