/**
 * A stand-in for AWS Lambda: runs a function's handler class as Lambda does, one invocation per instance at a time,
 * with cold and warm starts, a timeout, a memory size and a REPORT line per invocation.
 *
 * <p>Two modes share {@link dev.tether.local.lambda.LambdaRuntime}: {@link dev.tether.local.lambda.InProcessRuntime}
 * calls the handler in this JVM (fast, for tests), and {@link dev.tether.local.lambda.ProcessRuntime} serves the
 * Lambda Runtime API and starts each instance as its own JVM running AWS's runtime interface client.
 */
package dev.tether.local.lambda;
