package io.podserve.model.config;

import java.util.List;

/**
 * One model's architecture, normalized from its {@code config.json}: every field has the value
 * transformers would use, whichever spelling the file chose. Immutable; equal configs mean the
 * same model.
 *
 * @param type                  the architecture family
 * @param architecture          the class named in {@code architectures} (informational)
 * @param vocabSize             rows of the embedding and the LM head
 * @param hiddenSize            width of the residual stream
 * @param numLayers             decoder layers
 * @param intermediateSize      dense FFN intermediate size; 0 when the model has no dense FFN
 * @param hiddenAct             the FFN activation ("silu" for every supported family)
 * @param swigluLimit           GPT-OSS clamps gate and up projections to this limit; 0 when unclamped
 * @param rmsNormEps            epsilon of every RMSNorm
 * @param maxPositionEmbeddings longest context the model was configured for
 * @param tieWordEmbeddings     the LM head reuses the embedding matrix
 * @param dtype                 the declared parameter dtype ("bfloat16", …)
 * @param attention             attention of every layer
 * @param rope                  rotary embedding
 * @param moe                   mixture-of-experts layers, or null for a dense model
 * @param quantization          stored-weight quantization, or null when weights are plain floats
 * @param bosTokenId            beginning-of-sequence id, -1 when none
 * @param eosTokenIds           end-of-sequence ids declared in config.json (generation_config may add)
 * @param numNextnPredictLayers multi-token-prediction layers shipped beside the model (DeepSeek), 0 when none
 */
public record ModelConfig(
        ModelType type,
        String architecture,
        int vocabSize,
        int hiddenSize,
        int numLayers,
        int intermediateSize,
        String hiddenAct,
        double swigluLimit,
        double rmsNormEps,
        int maxPositionEmbeddings,
        boolean tieWordEmbeddings,
        String dtype,
        AttentionConfig attention,
        RopeConfig rope,
        MoeConfig moe,
        QuantizationConfig quantization,
        int bosTokenId,
        List<Integer> eosTokenIds,
        int numNextnPredictLayers) {

    public ModelConfig {
        eosTokenIds = List.copyOf(eosTokenIds);
    }

    public boolean isMoe() {
        return moe != null;
    }

    public boolean isMoeLayer(int layer) {
        return moe != null && moe.isMoeLayer(layer);
    }

    public boolean isMla() {
        return attention.mla() != null;
    }
}
