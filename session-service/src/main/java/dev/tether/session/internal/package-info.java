/** Parts of the session service no other module may use. */
package dev.tether.session.internal;
