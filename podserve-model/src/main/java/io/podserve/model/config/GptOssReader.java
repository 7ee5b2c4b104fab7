package io.podserve.model.config;

import io.podserve.model.config.MoeConfig.Scoring;

/**
 * GPT-OSS: GQA with biases and attention sinks, sliding and full layers alternating, every layer
 * MoE with a biased router (top-k, then softmax over the chosen) and a clamped SwiGLU.
 */
final class GptOssReader implements ArchitectureReader {
    /** transformers' GptOssConfig default; the hub config.json states it too. */
    private static final double DEFAULT_SWIGLU_LIMIT = 7.0;

    @Override
    public double defaultRopeTheta() {
        return 150000.0;
    }

    @Override
    public Parts read(ConfigFields f, int numLayers) {
        int heads = CommonFields.numHeads(f);
        var kinds = CommonFields.layerKinds(f, numLayers, i -> (i + 1) % 2 != 0);
        var attention = new AttentionConfig(heads, f.intOr("num_key_value_heads", heads), CommonFields.headDim(f),
                f.boolOr("attention_bias", true), false, true, false, CommonFields.slidingWindow(f, kinds), kinds, null);
        var moe = new MoeConfig(CommonFields.positive(f, "num_local_experts"),
                CommonFields.positive(f, "num_experts_per_tok"), CommonFields.positive(f, "intermediate_size"), 0, 0,
                Scoring.TOPK_THEN_SOFTMAX, true, 1, 1, 1.0, true, CommonFields.allLayers(numLayers, i -> true));
        return new Parts(0, f.doubleOr("swiglu_limit", DEFAULT_SWIGLU_LIMIT), attention, moe);
    }
}
