/**
 * AWS Signature Version 4 for Tether: presigned MQTT-over-WebSocket URLs for AWS IoT Core
 * ({@link dev.tether.sigv4.MqttUrlPresigner}), header signing of IoT data-plane requests
 * ({@link dev.tether.sigv4.RequestSigner}), and verification of both for the local AWS stand-in
 * ({@link dev.tether.sigv4.SigV4Verifier}).
 *
 * <p>Everything here is checked against the AWS SigV4 test suite and known answers in
 * {@code ../shared/testdata}.
 */
package dev.tether.sigv4;
