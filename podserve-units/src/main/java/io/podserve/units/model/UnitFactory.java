package io.podserve.units.model;

import java.lang.foreign.Arena;

import io.podserve.kernels.Backend;
import io.podserve.kernels.RopeParams;
import io.podserve.kernels.RopeTable;
import io.podserve.kernels.Weights;
import io.podserve.kernels.attention.AttentionShape;
import io.podserve.kernels.cpu.CpuBackend;
import io.podserve.kernels.mla.MlaAttention;
import io.podserve.kernels.mla.MlaShape;
import io.podserve.kernels.routing.RoutingMethod;
import io.podserve.kernels.routing.RoutingParams;
import io.podserve.model.config.AttentionConfig;
import io.podserve.model.config.AttentionConfig.LayerKind;
import io.podserve.model.config.AttentionConfig.MlaConfig;
import io.podserve.model.config.ModelConfig;
import io.podserve.model.config.MoeConfig;
import io.podserve.model.config.RopeConfig;
import io.podserve.units.Activation.Hidden;
import io.podserve.units.Unit;
import io.podserve.units.layers.AttentionUnit;
import io.podserve.units.layers.DenseMlpUnit;
import io.podserve.units.layers.EmbeddingUnit;
import io.podserve.units.layers.ExpertsUnit;
import io.podserve.units.layers.FinalNormUnit;
import io.podserve.units.layers.Linear;
import io.podserve.units.layers.LmHeadUnit;
import io.podserve.units.layers.MlaAttentionUnit;
import io.podserve.units.layers.RouterUnit;
import io.podserve.units.layers.SwigluMlp;

/**
 * Builds each unit of a model from its config and weights, with the checkpoint's tensor names
 * ({@code TensorLayout}): ordinary or multi-head latent attention (DeepSeek-V3), dense MLP, or MoE
 * router and experts (with DeepSeek's correction bias and shared experts). Load-time only, on the
 * loading thread.
 */
final class UnitFactory {
    private final ModelConfig config;
    private final Backend backend;
    private final WeightLoader weights;
    private final RopeTable rope;
    private final float eps;
    private MlaAttention mlaKernel; // shared by all MLA layers (one runs at a time); made on first use

    UnitFactory(ModelConfig config, Backend backend, WeightLoader weights, Arena arena) {
        this.config = config;
        this.backend = backend;
        this.weights = weights;
        // NOTE: transformers holds inv_freq in the model's dtype; a bf16 model's angles use bf16 frequencies.
        // DeepSeek-V3 too: with f32 frequencies hf-tiny deepseek_v3 drifts to 7e-3 and fortune-moe to 2.8.
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
        Weights input = weights.norm(p + "input_layernorm.weight");
        Unit<Hidden, Hidden> attention = config.isMla() ? mla(layer, p + "self_attn.", input)
                : attention(layer, p + "self_attn.", input);
        Weights post = weights.norm(p + "post_attention_layernorm.weight");
        if (!config.isMoeLayer(layer)) {
            SwigluMlp mlp = weights.mlp(p + "mlp.", "gate_proj", "up_proj", "down_proj");
            return DecoderLayer.dense(attention, new DenseMlpUnit(layer, backend, post, mlp, eps));
        }
        return switch (config.type()) {
            case MIXTRAL -> moe(layer, attention, post, p + "block_sparse_moe.", "gate", "w1", "w3", "w2");
            case GPT_OSS -> {
                RouterUnit router = router(layer, post, weights.unquantized(p + "mlp.router", true), null);
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

    /** DeepSeek-V3's multi-head latent attention of one layer. */
    private MlaAttentionUnit mla(int layer, String p, Weights inputLayernorm) {
        MlaConfig m = config.attention().mla();
        boolean bias = config.attention().bias();
        boolean qLora = m.qLoraRank() > 0;
        // NOTE: kv_b_proj stays as stored even under Q8: the absorbed kernel reads its rows directly,
        // with vector loops for F32 and BF16 only.
        var w = new MlaAttentionUnit.LayerWeights(inputLayernorm,
                qLora ? weights.linear(p + "q_a_proj", bias) : null,
                qLora ? weights.norm(p + "q_a_layernorm.weight") : null,
                weights.linear(p + (qLora ? "q_b_proj" : "q_proj"), false),
                weights.linear(p + "kv_a_proj_with_mqa", bias), weights.norm(p + "kv_a_layernorm.weight"),
                weights.stored(p + "kv_b_proj.weight"), weights.linear(p + "o_proj", bias));
        var shape = new MlaShape(config.attention().numHeads(), m.kvLoraRank(), m.qkNopeHeadDim(), m.qkRopeHeadDim(),
                m.vHeadDim());
        if (mlaKernel == null) {
            mlaKernel = backend instanceof CpuBackend cpu && !cpu.isScalar()
                    ? MlaAttention.vector(shape, cpu.workerPool())
                    : MlaAttention.scalar(shape);
        }
        return new MlaAttentionUnit(layer, backend, w, shape, mlaKernel, rope, mlaSoftmaxScale(config), eps);
    }

    /**
     * transformers' DeepseekV3Attention scaling: {@code qk_head_dim^-0.5}, times {@code mscale²} when
     * the rope is scaled and {@code mscale_all_dim} is set, with
     * {@code mscale = 0.1 · mscale_all_dim · ln(factor) + 1} (1 for factor ≤ 1). Computed in double as
     * Python does, rounded once.
     */
    static float mlaSoftmaxScale(ModelConfig c) {
        double scale = Math.pow(c.attention().mla().qkHeadDim(), -0.5);
        RopeConfig r = c.rope();
        if (r.type() != RopeConfig.RopeType.DEFAULT && r.mscaleAllDim() != 0) {
            double mscale = r.factor() <= 1 ? 1.0 : 0.1 * r.mscaleAllDim() * Math.log(r.factor()) + 1.0;
            scale *= mscale * mscale;
        }
        return (float) scale;
    }

    private DecoderLayer moe(int layer, Unit<Hidden, Hidden> attention, Weights post, String p, String gate,
            String gateProj, String upProj, String downProj) {
        MoeConfig m = config.moe();
        boolean grouped = m.scoring() == MoeConfig.Scoring.SIGMOID_WITH_BIAS;
        float[] correctionBias = grouped ? weights.floats(p + gate + ".e_score_correction_bias") : null;
        RouterUnit router = router(layer, post, weights.unquantized(p + gate, false), correctionBias);
        SwigluMlp[] experts = new SwigluMlp[m.numExperts()];
        for (int e = 0; e < experts.length; e++) {
            experts[e] = weights.mlp(p + "experts." + e + ".", gateProj, upProj, downProj);
        }
        SwigluMlp shared = m.numSharedExperts() > 0
                ? weights.mlp(p + "shared_experts.", gateProj, upProj, downProj) : null;
        return DecoderLayer.moe(attention, router, new ExpertsUnit(layer, backend, experts, shared));
    }

    /**
     * NOTE: the router projection stays as stored even under Q8 ({@link WeightLoader#unquantized}):
     * it is tiny, and quantization error there flips expert choices, a discontinuous change, where
     * elsewhere it only perturbs values.
     */
    private RouterUnit router(int layer, Weights post, Linear gate, float[] correctionBias) {
        return new RouterUnit(layer, backend, post, gate, routing(config.moe()), correctionBias, eps);
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
                r.highFreqFactor(), r.partialRotaryFactor(), ropeHeadDim(c), c.maxPositionEmbeddings());
    }

    /** Dims per head the rope tables cover: MLA rotates only its {@code qk_rope_head_dim} part. */
    private static int ropeHeadDim(ModelConfig c) {
        return c.isMla() ? c.attention().mla().qkRopeHeadDim() : c.attention().headDim();
    }
}
