/**
 * Requests and the scheduler: continuous batching in which every request's computed-token count
 * catches up with its token count under a per-step token budget (chunked prefill, prefix hits and
 * decode are one path), with preemption by recompute when KV blocks run out.
 */
package io.podserve.engine.sched;
