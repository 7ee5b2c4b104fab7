/**
 * What the benchmark sends and when: prompts with their requested output lengths (synthetic or read
 * from a JSONL file) and the arrival times of the requests (Poisson, gamma-bursty or all at once).
 */
package io.podserve.bench.workload;
