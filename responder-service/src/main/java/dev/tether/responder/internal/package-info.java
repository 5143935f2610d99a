/** What the responder's entrypoints need and no other module may use. */
package dev.tether.responder.internal;
