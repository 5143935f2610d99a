/**
 * Tether's shared core: topic naming, channel ids, SigV4 presigning and verifying, configuration and credentials.
 */
package dev.tether;
