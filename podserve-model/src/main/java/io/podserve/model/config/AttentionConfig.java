package io.podserve.model.config;

import java.util.List;

/**
 * The attention of every layer.
 *
 * @param numHeads      query heads
 * @param numKvHeads    key/value heads (equal to numHeads for MHA, 1 for MQA; MLA reports numHeads)
 * @param headDim       per-head dimension of q·k and of v (for MLA: see {@link MlaConfig})
 * @param bias          q/k/v/o projections carry biases
 * @param qkNorm        RMSNorm over each head of q and k before RoPE (Qwen3)
 * @param sinks         a learned per-head logit joins each softmax (GPT-OSS attention sinks)
 * @param ropeInterleaved rotary pairs are adjacent dims (2i, 2i+1) rather than halves (i, i+d/2);
 *                      DeepSeek-V3's checkpoints are laid out for the interleaved form
 * @param slidingWindow window in tokens for layers of kind {@link LayerKind#SLIDING}; 0 when none
 * @param layerKinds    one entry per layer
 * @param mla           multi-head latent attention parameters, or null for ordinary attention
 */
public record AttentionConfig(
        int numHeads,
        int numKvHeads,
        int headDim,
        boolean bias,
        boolean qkNorm,
        boolean sinks,
        boolean ropeInterleaved,
        int slidingWindow,
        List<LayerKind> layerKinds,
        MlaConfig mla) {

    public AttentionConfig {
        layerKinds = List.copyOf(layerKinds);
    }

    /** Whether a layer attends to the whole context or to a sliding window of it. */
    public enum LayerKind { FULL, SLIDING }

    /**
     * DeepSeek's multi-head latent attention: q and kv pass through low-rank bottlenecks; the KV
     * cache can hold only the kv latent and the shared rope key.
     *
     * @param qLoraRank    rank of the q bottleneck, 0 when q is projected directly
     * @param kvLoraRank   rank of the kv latent
     * @param qkNopeHeadDim per-head q·k dims without rotary
     * @param qkRopeHeadDim per-head q·k dims with rotary (the rope key is shared by all heads)
     * @param vHeadDim     per-head value dims
     */
    public record MlaConfig(int qLoraRank, int kvLoraRank, int qkNopeHeadDim, int qkRopeHeadDim, int vHeadDim) {
        public int qkHeadDim() {
            return qkNopeHeadDim + qkRopeHeadDim;
        }
    }
}
