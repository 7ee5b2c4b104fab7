package io.podserve.engine;

import java.time.Duration;

/**
 * Limits of one engine instance.
 *
 * @param maxNumSeqs       requests in the running batch at most
 * @param maxBatchedTokens tokens per step at most (prefill chunks plus decode tokens)
 * @param maxWaiting       requests queued beyond the running ones before submit refuses more
 * @param prefixCaching    share the KV of equal prompt prefixes between requests
 * @param batchWait        when a request finds the engine idle, how long the engine waits for more to arrive (or
 *                         until the waiting prompts fill a step) before its first step: a burst of requests that
 *                         reaches the engine over a few milliseconds then starts as one batch instead of one
 *                         request's step followed by the rest
 */
public record EngineConfig(int maxNumSeqs, int maxBatchedTokens, int maxWaiting, boolean prefixCaching,
                           Duration batchWait) {

    /** 64 sequences, 512-token steps, 1024 queued, prefix caching on, 5 ms batch wait. */
    public static final EngineConfig DEFAULTS = new EngineConfig(64, 512, 1024, true, Duration.ofMillis(5));

    public EngineConfig {
        if (maxNumSeqs < 1 || maxBatchedTokens < 1 || maxWaiting < 0 || batchWait.isNegative()) {
            throw new IllegalArgumentException("need max-num-seqs >= 1, max-batched-tokens >= 1, max waiting >= 0, "
                    + "batch wait >= 0; got " + maxNumSeqs + ", " + maxBatchedTokens + ", " + maxWaiting + ", "
                    + batchWait);
        }
    }

    public EngineConfig withMaxNumSeqs(int n) {
        return new EngineConfig(n, maxBatchedTokens, maxWaiting, prefixCaching, batchWait);
    }

    public EngineConfig withMaxBatchedTokens(int n) {
        return new EngineConfig(maxNumSeqs, n, maxWaiting, prefixCaching, batchWait);
    }

    public EngineConfig withMaxWaiting(int n) {
        return new EngineConfig(maxNumSeqs, maxBatchedTokens, n, prefixCaching, batchWait);
    }

    public EngineConfig withPrefixCaching(boolean on) {
        return new EngineConfig(maxNumSeqs, maxBatchedTokens, maxWaiting, on, batchWait);
    }

    public EngineConfig withBatchWait(Duration wait) {
        return new EngineConfig(maxNumSeqs, maxBatchedTokens, maxWaiting, prefixCaching, wait);
    }
}
