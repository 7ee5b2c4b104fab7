package io.podserve.engine;

/**
 * Limits of one engine instance.
 *
 * @param maxNumSeqs       requests in the running batch at most
 * @param maxBatchedTokens tokens per step at most (prefill chunks plus decode tokens)
 * @param maxWaiting       requests queued beyond the running ones before submit refuses more
 * @param prefixCaching    share the KV of equal prompt prefixes between requests
 */
public record EngineConfig(int maxNumSeqs, int maxBatchedTokens, int maxWaiting, boolean prefixCaching) {

    /** 64 sequences, 512-token steps, 1024 queued, prefix caching on. */
    public static final EngineConfig DEFAULTS = new EngineConfig(64, 512, 1024, true);

    public EngineConfig {
        if (maxNumSeqs < 1 || maxBatchedTokens < 1 || maxWaiting < 0) {
            throw new IllegalArgumentException("need max-num-seqs >= 1, max-batched-tokens >= 1, max waiting >= 0; got "
                    + maxNumSeqs + ", " + maxBatchedTokens + ", " + maxWaiting);
        }
    }

    public EngineConfig withMaxNumSeqs(int n) {
        return new EngineConfig(n, maxBatchedTokens, maxWaiting, prefixCaching);
    }

    public EngineConfig withMaxBatchedTokens(int n) {
        return new EngineConfig(maxNumSeqs, n, maxWaiting, prefixCaching);
    }

    public EngineConfig withMaxWaiting(int n) {
        return new EngineConfig(maxNumSeqs, maxBatchedTokens, n, prefixCaching);
    }

    public EngineConfig withPrefixCaching(boolean on) {
        return new EngineConfig(maxNumSeqs, maxBatchedTokens, maxWaiting, on);
    }
}
