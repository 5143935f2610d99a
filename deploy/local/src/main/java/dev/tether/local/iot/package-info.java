/** The local stand-in for AWS IoT Core's MQTT-over-WebSocket message broker. */
package dev.tether.local.iot;
