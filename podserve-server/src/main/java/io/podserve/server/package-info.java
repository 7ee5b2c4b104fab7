/**
 * The OpenAI-compatible HTTP server in front of one engine: {@link io.podserve.server.PodServer}
 * wires routes, authentication, metrics and graceful shutdown; the sub-packages hold the pieces.
 */
package io.podserve.server;
