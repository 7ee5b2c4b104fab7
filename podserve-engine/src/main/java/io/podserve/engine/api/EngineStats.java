package io.podserve.engine.api;

/**
 * A snapshot of the engine for metrics and health.
 *
 * @param numRunning        requests in the running batch
 * @param numWaiting        requests queued (new or preempted)
 * @param kvCacheUsage      fraction of KV blocks in use, 0..1
 * @param prefixQueries     prompt tokens looked up in the prefix cache
 * @param prefixHits        of those, tokens found
 * @param numPreemptions    preemptions since start
 * @param numSteps          steps run since start
 */
public record EngineStats(int numRunning, int numWaiting, double kvCacheUsage, long prefixQueries,
        long prefixHits, long numPreemptions, long numSteps) {
}
