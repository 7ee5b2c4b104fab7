package io.podserve.planner.cost;

/**
 * What one step of one data-parallel rank computes, summarized for the cost model.
 *
 * @param rows       token rows through the layers (decode tokens plus prefill chunk tokens)
 * @param seqs       sequences in the step
 * @param sampled    rows that reach the LM head (one per decoding sequence and per finished prompt)
 * @param attnPairs  (query row, key position) pairs attention scores, summed over rows
 * @param kvRead     cached positions attention reads, summed over sequences (each sequence's
 *                   context is read once per step however many of its rows run)
 * @param prefill    whether any prompt chunk runs (prefill steps run eagerly, decode steps replay a graph)
 */
public record StepBatch(long rows, long seqs, long sampled, double attnPairs, double kvRead, boolean prefill) {

    /** {@code n} sequences each decoding one token over a context of {@code context} positions. */
    public static StepBatch decode(long n, long context) {
        return new StepBatch(n, n, n, (double) n * context, (double) n * context, false);
    }

    /** One prompt of {@code n} tokens prefilled whole from position 0. */
    public static StepBatch prefill(long n) {
        return new StepBatch(n, 1, 1, n * (n + 1) / 2.0, n, true);
    }

    /** This batch cut into {@code m} equal micro-batches (the size of one). */
    public StepBatch split(int m) {
        if (m == 1) {
            return this;
        }
        return new StepBatch(Math.max(1, rows / m), Math.max(1, seqs / m), Math.max(1, sampled / m), attnPairs / m,
                kvRead / m, prefill);
    }
}
