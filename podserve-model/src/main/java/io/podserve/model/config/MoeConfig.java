package io.podserve.model.config;

import java.util.List;

/**
 * The mixture-of-experts feed-forward layers.
 *
 * @param numExperts           routed experts per MoE layer
 * @param numExpertsPerToken   experts each token is routed to (top-k)
 * @param expertIntermediate   intermediate size of one routed expert
 * @param numSharedExperts     experts every token passes through (DeepSeek), 0 when none
 * @param sharedIntermediate   intermediate size of the shared expert block (all shared experts fused)
 * @param scoring              how router logits become scores
 * @param normTopkProb         renormalize the top-k weights to sum to one
 * @param numGroups            expert groups for group-limited routing (1 when not grouped)
 * @param topkGroups           groups kept per token (equals numGroups when not grouped)
 * @param routedScalingFactor  multiplier on the routed experts' combined output
 * @param routerBias           the router projection has a bias (GPT-OSS)
 * @param moeLayers            for each layer, whether its FFN is MoE (else dense)
 */
public record MoeConfig(
        int numExperts,
        int numExpertsPerToken,
        int expertIntermediate,
        int numSharedExperts,
        int sharedIntermediate,
        Scoring scoring,
        boolean normTopkProb,
        int numGroups,
        int topkGroups,
        double routedScalingFactor,
        boolean routerBias,
        List<Boolean> moeLayers) {

    public MoeConfig {
        moeLayers = List.copyOf(moeLayers);
    }

    public boolean isMoeLayer(int layer) {
        return moeLayers.get(layer);
    }

    public int numMoeLayers() {
        return (int) moeLayers.stream().filter(b -> b).count();
    }

    /** Router scoring and the order of its steps. */
    public enum Scoring {
        /** softmax over all experts, then top-k (Qwen3-MoE, Mixtral) */
        SOFTMAX_THEN_TOPK,
        /** top-k over biased logits, then softmax over the chosen (GPT-OSS) */
        TOPK_THEN_SOFTMAX,
        /** sigmoid scores, top-k on scores plus a correction bias, optionally group-limited (DeepSeek-V3) */
        SIGMOID_WITH_BIAS
    }
}
