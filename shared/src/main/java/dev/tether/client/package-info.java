/**
 * The Java Tether client: {@link dev.tether.client.TetherClient#open} asks the session service for a session,
 * connects to AWS IoT Core over the presigned WebSocket, starts the responder and waits until it is ready; then
 * {@link dev.tether.client.TetherSession#request} sends requests and completes with their answers.
 */
package dev.tether.client;
