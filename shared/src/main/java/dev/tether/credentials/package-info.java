/**
 * AWS credentials for code on a Vert.x event loop: resolved off the event loop, shared and cached until shortly
 * before they expire.
 */
package dev.tether.credentials;
