package io.podserve.model.config;

import io.podserve.model.config.AttentionConfig.MlaConfig;
import io.podserve.model.config.MoeConfig.Scoring;

/**
 * DeepSeek-V3 and Kimi-K2: multi-head latent attention, the first {@code first_k_dense_replace}
 * layers dense, the rest MoE with shared experts and group-limited sigmoid routing.
 */
final class DeepseekV3Reader implements ArchitectureReader {
    @Override
    public double defaultRopeTheta() {
        return 10000.0;
    }

    @Override
    public Parts read(ConfigFields f, int numLayers) {
        int heads = CommonFields.numHeads(f);
        var mla = new MlaConfig(f.intOr("q_lora_rank", 0), CommonFields.positive(f, "kv_lora_rank"),
                CommonFields.positive(f, "qk_nope_head_dim"), CommonFields.positive(f, "qk_rope_head_dim"),
                CommonFields.positive(f, "v_head_dim"));
        var kinds = CommonFields.layerKinds(f, numLayers, i -> false);
        var attention = new AttentionConfig(heads, heads, mla.qkHeadDim(), f.boolOr("attention_bias", false),
                false, false, f.boolOr("rope_interleave", true), 0, kinds, mla);
        return new Parts(CommonFields.positive(f, "intermediate_size"), 0, attention, moe(f, numLayers));
    }

    private static MoeConfig moe(ConfigFields f, int numLayers) {
        String scoring = f.stringOr("scoring_func", "sigmoid");
        if (!scoring.equals("sigmoid")) {
            throw f.error("scoring_func", "is '" + scoring + "'; deepseek_v3 routing is sigmoid "
                    + "(DeepSeek-V2's softmax routing is not supported)");
        }
        int numExperts = CommonFields.positive(f, "n_routed_experts");
        int firstDense = f.intOr("first_k_dense_replace", 0);
        int freq = f.intOr("moe_layer_freq", 1);
        int expertIntermediate = CommonFields.positive(f, "moe_intermediate_size");
        int numShared = f.intOr("n_shared_experts", 0);
        int groups = f.intOr("n_group", 1);
        int topkGroups = f.intOr("topk_group", groups);
        if (groups <= 0 || numExperts % groups != 0) {
            throw f.error("n_group", "must divide n_routed_experts (" + numExperts + "), found " + groups);
        }
        return new MoeConfig(numExperts, CommonFields.positive(f, "num_experts_per_tok"), expertIntermediate,
                numShared, numShared * expertIntermediate, Scoring.SIGMOID_WITH_BIAS, f.boolOr("norm_topk_prob", true),
                groups, topkGroups, f.doubleOr("routed_scaling_factor", 1.0), false,
                CommonFields.allLayers(numLayers, i -> i >= firstDense && i % freq == 0));
    }
}
