package io.podserve.planner.sim;

/**
 * The limits of one rank's scheduler, as podserve's engine takes them.
 *
 * @param maxNumSeqs        running requests at most ({@code --max-num-seqs})
 * @param maxBatchedTokens  tokens one step computes at most ({@code --max-batched-tokens})
 * @param blockSize         tokens per KV block
 * @param kvCapacityTokens  KV cache size in tokens
 */
public record SchedulerLimits(int maxNumSeqs, int maxBatchedTokens, int blockSize, long kvCapacityTokens) {
    public SchedulerLimits {
        if (maxNumSeqs < 1 || maxBatchedTokens < 1 || blockSize < 1) {
            throw new IllegalArgumentException("max-num-seqs, max-batched-tokens and block size must be >= 1");
        }
    }

    public long numBlocks() {
        return kvCapacityTokens / blockSize;
    }
}
