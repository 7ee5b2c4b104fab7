package io.podserve.planner.cost;

import io.podserve.model.config.AttentionConfig;
import io.podserve.model.config.ModelConfig;

/**
 * The sizes the cost model needs, per layer and in elements (not bytes): the weights of each
 * operator and the attention dimensions. MLA is costed in its absorbed form (queries and outputs
 * move through the kv latent, so attention reads only the cached latent and rope key), which is
 * how decode runs it; {@code kv_b_proj} then costs one pass per token row. Prefill may instead
 * expand the latent into per-head keys and values ({@code mha…} dims), which costs kv_b_proj per
 * context token but far fewer attention FLOPs; the cost model takes the cheaper form per step.
 */
public record ModelShape(
        String name,
        long hidden,
        long vocab,
        int numLayers,
        int numMoeLayers,
        int numHeads,
        long qkvParams,      // GQA: q, k, v projections; MLA: q_a + q_b (or q) + kv_a
        long kvUpParams,     // MLA: kv_b_proj (absorbed); 0 for GQA
        long oParams,        // o_proj
        long scoreDim,       // per head: q·k dims (MLA absorbed: kvLora + rope)
        long valueDim,       // per head: p·v dims (MLA absorbed: kvLora)
        long mhaScoreDim,    // MLA expanded (prefill) form: qk nope + rope; GQA: = scoreDim
        long mhaValueDim,    // MLA expanded form: v head dim; GQA: = valueDim
        long kvElementsPerToken, // per layer
        int numKvHeads,      // 1 for MLA: the latent is shared by every head
        long denseParams,    // dense FFN of one dense layer
        long expertParams,   // one routed expert
        long sharedParams,   // shared experts of one MoE layer
        long routerParams,
        int numExperts,
        int topK,
        int routeGroups) {   // expert groups a token may reach (DeepSeek's node-limited routing), else topK

    public static ModelShape of(String name, ModelConfig c) {
        AttentionConfig a = c.attention();
        long h = c.hiddenSize();
        long heads = a.numHeads();
        long qkv;
        long kvUp = 0;
        long o;
        long score;
        long value;
        long mhaScore;
        long mhaValue;
        long kvElems;
        int kvHeads;
        if (c.isMla()) {
            AttentionConfig.MlaConfig m = a.mla();
            long q = m.qLoraRank() > 0
                    ? h * m.qLoraRank() + (long) m.qLoraRank() * heads * m.qkHeadDim()
                    : h * heads * m.qkHeadDim();
            qkv = q + h * (m.kvLoraRank() + m.qkRopeHeadDim());
            kvUp = (long) m.kvLoraRank() * heads * (m.qkNopeHeadDim() + m.vHeadDim());
            o = heads * m.vHeadDim() * h;
            score = m.kvLoraRank() + m.qkRopeHeadDim();
            value = m.kvLoraRank();
            mhaScore = m.qkHeadDim();
            mhaValue = m.vHeadDim();
            kvElems = m.kvLoraRank() + m.qkRopeHeadDim();
            kvHeads = 1;
        } else {
            long q = heads * a.headDim();
            long kv = (long) a.numKvHeads() * a.headDim();
            qkv = h * (q + 2 * kv);
            o = q * h;
            score = a.headDim();
            value = a.headDim();
            mhaScore = score;
            mhaValue = value;
            kvElems = 2 * kv;
            kvHeads = a.numKvHeads();
        }
        int numMoe = c.isMoe() ? c.moe().numMoeLayers() : 0;
        long expert = 0;
        long shared = 0;
        long router = 0;
        int experts = 0;
        int topK = 0;
        int routeGroups = 0;
        if (c.isMoe()) {
            var m = c.moe();
            expert = 3 * h * m.expertIntermediate();
            shared = m.numSharedExperts() > 0 ? 3 * h * m.sharedIntermediate() : 0;
            router = h * m.numExperts();
            experts = m.numExperts();
            topK = m.numExpertsPerToken();
            routeGroups = m.numGroups() > 1 ? Math.min(topK, m.topkGroups()) : topK;
        }
        return new ModelShape(name, h, c.vocabSize(), c.numLayers(), numMoe, a.numHeads(), qkv, kvUp, o, score, value,
                mhaScore, mhaValue, kvElems, kvHeads, 3 * h * c.intermediateSize(), expert, shared, router, experts, topK,
                routeGroups);
    }

    public int numDenseLayers() {
        return numLayers - numMoeLayers;
    }

    /** Attention weights of one layer. */
    public long attentionParams() {
        return qkvParams + kvUpParams + oParams;
    }

    /** Every matrix weight of the model (embedding and LM head counted apart, even when tied). */
    public long totalParams() {
        return numLayers * attentionParams() + numDenseLayers() * denseParams
                + numMoeLayers * (numExperts * expertParams + sharedParams + routerParams) + 2 * vocab * hidden;
    }

    /** Weights one token passes through (top-k experts only). */
    public long activeParams() {
        return numLayers * attentionParams() + numDenseLayers() * denseParams
                + numMoeLayers * (topK * expertParams + sharedParams + routerParams) + vocab * hidden;
    }

    public boolean isMoe() {
        return numMoeLayers > 0;
    }
}
