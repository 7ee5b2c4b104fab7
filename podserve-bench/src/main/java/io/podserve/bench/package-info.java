/**
 * The load generator's API: a {@link io.podserve.bench.BenchConfig} in, a
 * {@link io.podserve.bench.BenchResult} (summary and every request's record) out, through
 * {@link io.podserve.bench.BenchRunner}. It talks to any OpenAI-compatible endpoint and depends on
 * no other podserve module.
 */
package io.podserve.bench;
