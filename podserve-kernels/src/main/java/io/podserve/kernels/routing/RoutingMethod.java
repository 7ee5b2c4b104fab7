package io.podserve.kernels.routing;

/** How router logits become expert choices and combine weights; see {@link Router#route}. */
public enum RoutingMethod {
    /** softmax over all experts, top-k by probability, weights = those probabilities (Qwen3-MoE, norm_topk_prob=false). */
    SOFTMAX_TOPK,
    /** as {@link #SOFTMAX_TOPK}, then the k weights divided by their sum (Mixtral, Qwen3-MoE norm_topk_prob=true). */
    SOFTMAX_TOPK_RENORM,
    /** top-k on the logits, then softmax over just those k (GPT-OSS). */
    TOPK_THEN_SOFTMAX,
    /**
     * sigmoid scores, selection on scores + correction bias within the best groups, weights = the
     * unbiased scores, optionally renormalized, times the routed scaling (DeepSeek-V3 noaux_tc, Kimi-K2).
     */
    GROUPED_SIGMOID
}
