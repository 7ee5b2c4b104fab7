/**
 * The request-level discrete-event simulator: arrivals, continuous batching with chunked prefill
 * under a token budget, KV capacity with preemption, prefill→decode hand-off; every request's
 * TTFT and TPOT.
 */
package io.podserve.planner.sim;
