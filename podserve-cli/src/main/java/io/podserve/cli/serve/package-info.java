/**
 * {@code podserve serve}: loads a model, starts the engine and the OpenAI-compatible HTTP server,
 * and stops both gracefully on Ctrl-C or SIGTERM.
 */
package io.podserve.cli.serve;
