package io.podserve.model.config;

import io.podserve.model.config.MoeConfig.Scoring;

/** Mixtral: GQA, every layer MoE, softmax then top-k renormalized; an optional window on every layer. */
final class MixtralReader implements ArchitectureReader {
    @Override
    public double defaultRopeTheta() {
        return 1e6;
    }

    @Override
    public Parts read(ConfigFields f, int numLayers) {
        int heads = CommonFields.numHeads(f);
        int window = f.intOr("sliding_window", 0);
        var kinds = CommonFields.layerKinds(f, numLayers, i -> window > 0);
        var attention = new AttentionConfig(heads, f.intOr("num_key_value_heads", heads), CommonFields.headDim(f),
                false, false, false, false, window, kinds, null);
        // NOTE: Mixtral's router always renormalizes the top-k softmax weights; its config has no flag.
        var moe = new MoeConfig(CommonFields.positive(f, "num_local_experts"),
                CommonFields.positive(f, "num_experts_per_tok"), CommonFields.positive(f, "intermediate_size"), 0, 0,
                Scoring.SOFTMAX_THEN_TOPK, true, 1, 1, 1.0, false, CommonFields.allLayers(numLayers, i -> true));
        return new Parts(0, 0, attention, moe);
    }
}
