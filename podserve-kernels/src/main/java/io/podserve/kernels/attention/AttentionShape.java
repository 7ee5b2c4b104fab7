package io.podserve.kernels.attention;

/**
 * The shape of one layer's attention: MHA when {@code numKvHeads == numHeads}, GQA when it
 * divides it, MQA when it is 1. Query head {@code h} reads KV head {@code h / (numHeads / numKvHeads)}.
 *
 * @param numHeads      query heads
 * @param numKvHeads    key/value heads; divides numHeads
 * @param headDim       elements per head, for q·k and for v
 * @param slidingWindow 0 for full causal attention; else a query at position p sees only the
 *                      positions {@code t} with {@code p - window < t <= p} (transformers' sliding mask)
 */
public record AttentionShape(int numHeads, int numKvHeads, int headDim, int slidingWindow) {

    public AttentionShape {
        if (numHeads <= 0 || numKvHeads <= 0 || headDim <= 0 || numHeads % numKvHeads != 0) {
            throw new IllegalArgumentException("bad attention shape: " + numHeads + " heads, " + numKvHeads
                    + " KV heads, head dim " + headDim);
        }
        if (slidingWindow < 0) {
            throw new IllegalArgumentException("sliding window must be >= 0, got " + slidingWindow);
        }
    }

    /** Query heads per KV head. */
    public int groupSize() {
        return numHeads / numKvHeads;
    }

    /** {@code 1 / sqrt(headDim)}, the score scale. */
    public float scale() {
        return (float) (1.0 / Math.sqrt(headDim));
    }

    /** First position a query at {@code position} attends to. */
    public int firstVisible(int position) {
        return slidingWindow == 0 ? 0 : Math.max(0, position - slidingWindow + 1);
    }

    /** Floats in one token's K (or V) row: {@code numKvHeads · headDim}. */
    public int kvRowFloats() {
        return numKvHeads * headDim;
    }
}
