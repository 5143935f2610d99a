/** AWS IoT topic rules: the supported SQL subset and the function a rule invokes. */
package dev.tether.local.rules;
