package io.podserve.xccl.moe;

/**
 * The fixed sizes of one MoE layer's exchange; buffers are allocated for the largest batch once.
 *
 * @param hidden       activation width
 * @param topK         experts per token
 * @param numExperts   routed experts, split evenly and in order over the ranks (expert e on rank
 *                     {@code e / (numExperts / worldSize)})
 * @param maxTokens    the most tokens one rank dispatches at a time
 * @param quantization how dispatched activations travel
 */
public record MoeShape(int hidden, int topK, int numExperts, int maxTokens, Quantization quantization) {

    /** Dispatched activations as f32, or int8 with one f32 scale per row (combine always travels as f32). */
    public enum Quantization { NONE, INT8 }

    public MoeShape {
        if (hidden < 1 || topK < 1 || numExperts < topK || maxTokens < 0) {
            throw new IllegalArgumentException("bad MoE shape: hidden " + hidden + ", top-" + topK + " of "
                    + numExperts + " experts, max tokens " + maxTokens);
        }
    }

    /** The most rows one rank can send to one other: each token sends a rank at most one row per expert there. */
    int maxRowsPerRank(int worldSize) {
        return maxTokens * Math.min(topK, numExperts / worldSize);
    }

    boolean int8() {
        return quantization == Quantization.INT8;
    }
}
