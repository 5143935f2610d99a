/** Local stand-ins for AWS IoT Core and STS, so Tether runs and is tested on one machine without AWS. */
package dev.tether.local;
