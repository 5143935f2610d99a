/** The responder on AWS Lambda, invoked by the IoT topic rule with the session message. */
package dev.tether.responder.lambda;
