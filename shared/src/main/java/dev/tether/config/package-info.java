/**
 * Tether's configuration: environment variables read once at start into one immutable {@link
 * dev.tether.config.TetherConfig}, every bad value reported together in one {@link dev.tether.config.ConfigInvalid}.
 */
package dev.tether.config;
