/**
 * The MQTT client's internals: packet coding over WebSocket frames and URL handling. Not for use outside
 * {@code dev.tether.mqtt}.
 */
package dev.tether.mqtt.internal;
