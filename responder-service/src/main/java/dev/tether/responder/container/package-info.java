/** The responder in a container on ECS Fargate, taking session messages from a shared subscription. */
package dev.tether.responder.container;
