package io.podserve.model.checkpoint;

import io.podserve.model.config.AttentionConfig;
import io.podserve.model.config.ModelConfig;
import io.podserve.model.config.MoeConfig;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The tensors a checkpoint of a given config must hold, with the names and shapes of the Hugging
 * Face checkpoints ({@code [out, in]} for linear weights). Extra tensors on disk (DeepSeek's
 * multi-token-prediction layers, for one) are allowed; missing ones are not.
 */
public final class TensorLayout {
    private final Map<String, long[]> shapes = new LinkedHashMap<>();

    private TensorLayout() {
    }

    /** Tensor name → expected shape, in checkpoint order (embedding, layers, norm, head). */
    public static Map<String, long[]> of(ModelConfig c) {
        TensorLayout t = new TensorLayout();
        long h = c.hiddenSize();
        t.put("model.embed_tokens.weight", c.vocabSize(), h);
        for (int layer = 0; layer < c.numLayers(); layer++) {
            String p = "model.layers." + layer + ".";
            t.put(p + "input_layernorm.weight", h);
            t.put(p + "post_attention_layernorm.weight", h);
            if (c.isMla()) {
                t.mla(p + "self_attn.", c);
            } else {
                t.attention(p + "self_attn.", c);
            }
            if (c.isMoeLayer(layer)) {
                t.moe(p, c);
            } else {
                t.denseMlp(p + "mlp.", h, c.intermediateSize());
            }
        }
        t.put("model.norm.weight", h);
        if (!c.tieWordEmbeddings()) {
            t.put("lm_head.weight", c.vocabSize(), h);
        }
        return Collections.unmodifiableMap(t.shapes);
    }

    private void attention(String p, ModelConfig c) {
        AttentionConfig a = c.attention();
        long h = c.hiddenSize();
        long q = (long) a.numHeads() * a.headDim();
        long kv = (long) a.numKvHeads() * a.headDim();
        linear(p + "q_proj", q, h, a.bias());
        linear(p + "k_proj", kv, h, a.bias());
        linear(p + "v_proj", kv, h, a.bias());
        linear(p + "o_proj", h, q, a.bias());
        if (a.qkNorm()) {
            put(p + "q_norm.weight", a.headDim());
            put(p + "k_norm.weight", a.headDim());
        }
        if (a.sinks()) {
            put(p + "sinks", a.numHeads());
        }
    }

    private void mla(String p, ModelConfig c) {
        AttentionConfig.MlaConfig m = c.attention().mla();
        long h = c.hiddenSize();
        long heads = c.attention().numHeads();
        boolean bias = c.attention().bias();
        if (m.qLoraRank() > 0) {
            linear(p + "q_a_proj", m.qLoraRank(), h, bias);
            put(p + "q_a_layernorm.weight", m.qLoraRank());
            linear(p + "q_b_proj", heads * m.qkHeadDim(), m.qLoraRank(), false);
        } else {
            linear(p + "q_proj", heads * m.qkHeadDim(), h, false);
        }
        linear(p + "kv_a_proj_with_mqa", m.kvLoraRank() + m.qkRopeHeadDim(), h, bias);
        put(p + "kv_a_layernorm.weight", m.kvLoraRank());
        linear(p + "kv_b_proj", heads * (m.qkNopeHeadDim() + m.vHeadDim()), m.kvLoraRank(), false);
        linear(p + "o_proj", h, heads * m.vHeadDim(), bias);
    }

    private void moe(String layerPrefix, ModelConfig c) {
        MoeConfig m = c.moe();
        long h = c.hiddenSize();
        long e = m.numExperts();
        long ie = m.expertIntermediate();
        switch (c.type()) {
            case MIXTRAL -> {
                String p = layerPrefix + "block_sparse_moe.";
                put(p + "gate.weight", e, h);
                for (int i = 0; i < e; i++) {
                    String x = p + "experts." + i + ".";
                    put(x + "w1.weight", ie, h);
                    put(x + "w3.weight", ie, h);
                    put(x + "w2.weight", h, ie);
                }
            }
            case GPT_OSS -> {
                String p = layerPrefix + "mlp.";
                put(p + "router.weight", e, h);
                put(p + "router.bias", e);
                // NOTE: GPT-OSS fuses all experts into 3-D tensors stored [in, out], gate and up interleaved.
                put(p + "experts.gate_up_proj", e, h, 2 * ie);
                put(p + "experts.gate_up_proj_bias", e, 2 * ie);
                put(p + "experts.down_proj", e, ie, h);
                put(p + "experts.down_proj_bias", e, h);
            }
            default -> {
                String p = layerPrefix + "mlp.";
                put(p + "gate.weight", e, h);
                if (m.scoring() == MoeConfig.Scoring.SIGMOID_WITH_BIAS) {
                    put(p + "gate.e_score_correction_bias", e);
                }
                for (int i = 0; i < e; i++) {
                    denseMlp(p + "experts." + i + ".", h, ie);
                }
                if (m.numSharedExperts() > 0) {
                    denseMlp(p + "shared_experts.", h, m.sharedIntermediate());
                }
            }
        }
    }

    private void denseMlp(String p, long h, long intermediate) {
        put(p + "gate_proj.weight", intermediate, h);
        put(p + "up_proj.weight", intermediate, h);
        put(p + "down_proj.weight", h, intermediate);
    }

    private void linear(String p, long out, long in, boolean bias) {
        put(p + ".weight", out, in);
        if (bias) {
            put(p + ".bias", out);
        }
    }

    private void put(String name, long... shape) {
        shapes.put(name, shape);
    }
}
