/**
 * The MQTT topics of a Tether deployment, and the check every topic name passes against AWS IoT Core's limits.
 */
package dev.tether.topic;
