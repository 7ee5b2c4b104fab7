/**
 * What the serving engine offers the layers above it (the HTTP server, the CLI, tests): submit a
 * tokenized request with its sampling options, read its output as a stream of events, cancel it.
 */
package io.podserve.engine.api;
