/**
 * Logging set up for AWS: {@link dev.tether.logging.AwsJsonLogs} turns Logback's output into JSON lines on Lambda and
 * ECS. A service registers it in its own {@code META-INF/services}; the shared library registers nothing, so that a
 * program using only the client keeps its own logging.
 */
package dev.tether.logging;
