/**
 * MQTT 3.1.1 over WebSocket, as AWS IoT Core speaks it: {@link dev.tether.mqtt.MqttWebSocketClient} connects to a
 * {@code ws://} or {@code wss://} URL taken verbatim (a presigned URL breaks if re-encoded), publishes and receives
 * at QoS 0 and 1, keeps the connection alive and reconnects when asked.
 *
 * <p>What AWS IoT Core would refuse (payload, topic and client id sizes, subscription counts) is refused here first,
 * with {@link dev.tether.mqtt.MqttLimitExceeded} naming the limit.
 */
package dev.tether.mqtt;
