/** The local stand-in for the AWS IoT data plane's Publish API. */
package dev.tether.local.dataplane;
