package io.podserve.units.model;

import java.lang.foreign.Arena;

import io.podserve.kernels.Backend;
import io.podserve.kernels.RopeParams;
import io.podserve.kernels.RopeTable;
import io.podserve.kernels.Weights;
import io.podserve.kernels.attention.AttentionShape;
import io.podserve.kernels.routing.RoutingMethod;
import io.podserve.kernels.routing.RoutingParams;
import io.podserve.model.config.AttentionConfig;
import io.podserve.model.config.AttentionConfig.LayerKind;
import io.podserve.model.config.ModelConfig;
import io.podserve.model.config.MoeConfig;
import io.podserve.model.config.RopeConfig;
import io.podserve.units.layers.AttentionUnit;
import io.podserve.units.layers.DenseMlpUnit;
import io.podserve.units.layers.EmbeddingUnit;
import io.podserve.units.layers.ExpertsUnit;
import io.podserve.units.layers.FinalNormUnit;
import io.podserve.units.layers.Linear;
import io.podserve.units.layers.LmHeadUnit;
import io.podserve.units.layers.RouterUnit;
import io.podserve.units.layers.SwigluMlp;

/**
 * Builds each unit of a model from its config and weights, with the checkpoint's tensor names
 * ({@code TensorLayout}). Load-time only, on the loading thread.
 */
final class UnitFactory {
    private final ModelConfig config;
    private final Backend backend;
    private final WeightLoader weights;
    private final RopeTable rope;
    private final float eps;

    UnitFactory(ModelConfig config, Backend backend, WeightLoader weights, Arena arena) {
        if (config.isMla()) {
            throw new UnsupportedOperationException(config.type().configName()
                    + ": multi-head latent attention units are not built yet");
        }
        this.config = config;
        this.backend = backend;
        this.weights = weights;
        // NOTE: transformers holds inv_freq in the model's dtype; a bf16 model's angles use bf16 frequencies.
        this.rope = RopeTable.build(ropeParams(config), "bfloat16".equals(config.dtype()), arena);
        this.eps = (float) config.rmsNormEps();
    }

    EmbeddingUnit embedding() {
        return new EmbeddingUnit(weights.stored("model.embed_tokens.weight"));
    }

    FinalNormUnit finalNorm() {
        return new FinalNormUnit(backend, weights.norm("model.norm.weight"), eps);
    }

    LmHeadUnit lmHead() {
        String name = config.tieWordEmbeddings() ? "model.embed_tokens.weight" : "lm_head.weight";
        return new LmHeadUnit(backend, weights.matrix(name));
    }

    DecoderLayer layer(int layer) {
        String p = "model.layers." + layer + ".";
        AttentionUnit attention = attention(layer, p + "self_attn.", weights.norm(p + "input_layernorm.weight"));
        Weights post = weights.norm(p + "post_attention_layernorm.weight");
        if (!config.isMoeLayer(layer)) {
            SwigluMlp mlp = weights.mlp(p + "mlp.", "gate_proj", "up_proj", "down_proj");
            return DecoderLayer.dense(attention, new DenseMlpUnit(layer, backend, post, mlp, eps));
        }
        return switch (config.type()) {
            case MIXTRAL -> moe(layer, attention, post, p + "block_sparse_moe.", "gate", "w1", "w3", "w2");
            case GPT_OSS -> {
                RouterUnit router = router(layer, post, weights.unquantized(p + "mlp.router", true));
                float limit = (float) config.swigluLimit();
                yield DecoderLayer.moe(attention, router,
                        new ExpertsUnit(layer, backend, weights.gptOssExperts(p + "mlp.experts.", limit)));
            }
            default -> moe(layer, attention, post, p + "mlp.", "gate", "gate_proj", "up_proj", "down_proj");
        };
    }

    private AttentionUnit attention(int layer, String p, Weights inputLayernorm) {
        AttentionConfig a = config.attention();
        boolean bias = a.bias();
        var w = new AttentionUnit.LayerWeights(inputLayernorm, weights.linear(p + "q_proj", bias),
                weights.linear(p + "k_proj", bias), weights.linear(p + "v_proj", bias),
                weights.linear(p + "o_proj", bias),
                a.qkNorm() ? weights.norm(p + "q_norm.weight") : null,
                a.qkNorm() ? weights.norm(p + "k_norm.weight") : null,
                a.sinks() ? weights.floats(p + "sinks") : null);
        boolean sliding = layer < a.layerKinds().size() && a.layerKinds().get(layer) == LayerKind.SLIDING;
        var shape = new AttentionShape(a.numHeads(), a.numKvHeads(), a.headDim(), sliding ? a.slidingWindow() : 0);
        return new AttentionUnit(layer, backend, w, shape, rope, eps);
    }

    private DecoderLayer moe(int layer, AttentionUnit attention, Weights post, String p, String gate,
            String gateProj, String upProj, String downProj) {
        RouterUnit router = router(layer, post, weights.unquantized(p + gate, false));
        SwigluMlp[] experts = new SwigluMlp[config.moe().numExperts()];
        for (int e = 0; e < experts.length; e++) {
            experts[e] = weights.mlp(p + "experts." + e + ".", gateProj, upProj, downProj);
        }
        return DecoderLayer.moe(attention, router, new ExpertsUnit(layer, backend, experts));
    }

    /**
     * NOTE: the router projection stays as stored even under Q8 ({@link WeightLoader#unquantized}):
     * it is tiny, and quantization error there flips expert choices, a discontinuous change, where
     * elsewhere it only perturbs values.
     */
    private RouterUnit router(int layer, Weights post, Linear gate) {
        return new RouterUnit(layer, backend, post, gate, routing(config.moe()), null, eps);
    }

    private RoutingParams routing(MoeConfig m) {
        RoutingMethod method = switch (m.scoring()) {
            case SOFTMAX_THEN_TOPK -> m.normTopkProb() ? RoutingMethod.SOFTMAX_TOPK_RENORM : RoutingMethod.SOFTMAX_TOPK;
            case TOPK_THEN_SOFTMAX -> RoutingMethod.TOPK_THEN_SOFTMAX;
            case SIGMOID_WITH_BIAS -> RoutingMethod.GROUPED_SIGMOID;
        };
        return new RoutingParams(method, m.numExperts(), m.numExpertsPerToken(), m.numGroups(), m.topkGroups(),
                (float) m.routedScalingFactor(), m.normTopkProb());
    }

    static RopeParams ropeParams(ModelConfig c) {
        RopeConfig r = c.rope();
        RopeParams.Type type = switch (r.type()) {
            case DEFAULT -> RopeParams.Type.DEFAULT;
            case LINEAR -> RopeParams.Type.LINEAR;
            case YARN -> RopeParams.Type.YARN;
            case LLAMA3 -> RopeParams.Type.LLAMA3;
            case DYNAMIC -> throw new UnsupportedOperationException("dynamic rope scaling is not supported");
        };
        return new RopeParams(type, r.theta(), r.factor(), r.originalMaxPositionEmbeddings(), r.betaFast(),
                r.betaSlow(), r.mscale(), r.mscaleAllDim(), r.attentionFactor(), r.truncate(), r.lowFreqFactor(),
                r.highFreqFactor(), r.partialRotaryFactor(), c.attention().headDim(), c.maxPositionEmbeddings());
    }
}
