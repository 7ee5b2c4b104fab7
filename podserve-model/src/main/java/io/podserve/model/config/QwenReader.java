package io.podserve.model.config;

import io.podserve.model.config.MoeConfig.Scoring;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** Qwen3 (dense) and Qwen3-MoE: GQA with per-head q/k RMSNorm; MoE layers every decoder_sparse_step. */
final class QwenReader implements ArchitectureReader {
    private final ModelType type;

    QwenReader(ModelType type) {
        this.type = type;
    }

    @Override
    public double defaultRopeTheta() {
        return 10000.0;
    }

    @Override
    public Parts read(ConfigFields f, int numLayers) {
        int heads = CommonFields.numHeads(f);
        int window = f.boolOr("use_sliding_window", false) ? f.intOr("sliding_window", 0) : 0;
        int maxWindowLayers = f.intOr("max_window_layers", numLayers);
        var kinds = CommonFields.layerKinds(f, numLayers, i -> window > 0 && i >= maxWindowLayers);
        var attention = new AttentionConfig(heads, f.intOr("num_key_value_heads", heads), CommonFields.headDim(f),
                f.boolOr("attention_bias", false), true, false, false, CommonFields.slidingWindow(f, kinds), kinds,
                null);
        MoeConfig moe = type == ModelType.QWEN3_MOE ? moe(f, numLayers) : null;
        return new Parts(f.intOr("intermediate_size", 0), 0, attention, moe);
    }

    private static MoeConfig moe(ConfigFields f, int numLayers) {
        // NOTE: hub checkpoints say num_experts; transformers 5 writes num_local_experts.
        int numExperts = f.has("num_experts") ? f.requireInt("num_experts") : f.requireInt("num_local_experts");
        int step = f.intOr("decoder_sparse_step", 1);
        Set<Integer> denseOnly = new HashSet<>();
        for (int layer : f.intList("mlp_only_layers")) {
            denseOnly.add(layer);
        }
        List<Boolean> moeLayers = CommonFields.allLayers(numLayers,
                i -> numExperts > 0 && !denseOnly.contains(i) && (i + 1) % step == 0);
        return new MoeConfig(numExperts, CommonFields.positive(f, "num_experts_per_tok"),
                CommonFields.positive(f, "moe_intermediate_size"), 0, 0, Scoring.SOFTMAX_THEN_TOPK,
                f.boolOr("norm_topk_prob", false), 1, 1, 1.0, false, moeLayers);
    }
}
