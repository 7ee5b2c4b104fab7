/**
 * Prometheus metrics with vLLM's meanings under a {@code podserve:} prefix: request latencies as
 * histograms, token counters, and the engine's queue, KV and prefix-cache state read at scrape time.
 */
package io.podserve.server.metrics;
