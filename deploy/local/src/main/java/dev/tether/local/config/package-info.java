/** The configuration file of the local stand-ins and its defaults. */
package dev.tether.local.config;
