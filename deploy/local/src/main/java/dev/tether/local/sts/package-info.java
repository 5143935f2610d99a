/** The local stand-in for AWS STS: AssumeRole over the AWS Query protocol. */
package dev.tether.local.sts;
