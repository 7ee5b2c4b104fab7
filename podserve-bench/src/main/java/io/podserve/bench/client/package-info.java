/**
 * One streamed request to an OpenAI-compatible server and what it measured: the request body per
 * endpoint, the server-sent-events reader, and the per-request record of times and token counts.
 */
package io.podserve.bench.client;
