/** IAM policy documents, their evaluation, and the identities the local stand-ins know. */
package dev.tether.local.iam;
