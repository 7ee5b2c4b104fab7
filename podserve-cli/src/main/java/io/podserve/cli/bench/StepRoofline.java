package io.podserve.cli.bench;

import io.podserve.model.checkpoint.ModelSummary;
import io.podserve.model.checkpoint.TensorLayout;
import io.podserve.model.config.ModelConfig;

import java.util.Arrays;
import java.util.Map;

/**
 * The least time a step can take on a machine: the larger of the bytes it must read over the
 * memory bandwidth and its FLOPs over the peak FLOP rate. Bytes count every non-expert weight
 * once, each routed expert the batch touched once, and the KV cache rows attention reads; FLOPs
 * count 2 per weight per token row through the weights a token uses, plus attention's q·k and p·v.
 */
final class StepRoofline {
    /** Q8 stores a block of 32 weights in 32 int8 plus one f32 scale. */
    private static final double Q8_BYTES_PER_WEIGHT = 36.0 / 32;

    private final ModelConfig config;
    private final double fixedWeightBytes;
    private final double expertBytes;
    private final double activeWeightsPerToken;
    private final double lmHeadWeights;

    StepRoofline(ModelConfig config, boolean q8) {
        this.config = config;
        double fixed = 0;
        double routed = 0;
        for (Map.Entry<String, long[]> e : TensorLayout.of(config).entrySet()) {
            String name = e.getKey();
            long n = Arrays.stream(e.getValue()).reduce(1, (a, b) -> a * b);
            if (name.equals("model.embed_tokens.weight")) {
                continue; // a step reads only its tokens' rows
            }
            boolean quantized = q8 && e.getValue().length >= 2 && !name.endsWith("gate.weight")
                    && !name.endsWith("router.weight");
            double bytes = n * (quantized ? Q8_BYTES_PER_WEIGHT : 2);
            if (name.contains(".experts.")) {
                routed += bytes;
            } else {
                fixed += bytes;
            }
        }
        this.fixedWeightBytes = fixed;
        this.lmHeadWeights = (double) config.vocabSize() * config.hiddenSize();
        int numMoeLayers = config.isMoe() ? config.moe().numMoeLayers() : 0;
        this.expertBytes = numMoeLayers == 0 ? 0 : routed / ((double) numMoeLayers * config.moe().numExperts());
        double bytesPerWeight = q8 ? Q8_BYTES_PER_WEIGHT : 2;
        double activeExperts = config.isMoe() ? (double) numMoeLayers * config.moe().numExpertsPerToken() : 0;
        this.activeWeightsPerToken = fixed / bytesPerWeight + activeExperts * expertBytes / bytesPerWeight;
    }

    /** Bytes one step reads: weights once, the touched experts, and the KV rows of every context token. */
    double bytes(long numDistinctExperts, long contextTokens) {
        return fixedWeightBytes + numDistinctExperts * expertBytes + (double) contextTokens * ModelSummary.kvBytesPerToken(config);
    }

    /**
     * FLOPs of {@code rows} token rows attending over {@code contextTokens} positions in all, of
     * which {@code logitRows} go through the LM head (a prefill chunk only needs its last).
     */
    double flops(int rows, int logitRows, long contextTokens) {
        var a = config.attention();
        int qkDim = a.headDim();
        int vDim = a.mla() != null ? a.mla().vHeadDim() : a.headDim();
        double attention = 2.0 * a.numHeads() * (qkDim + vDim) * contextTokens * config.numLayers();
        return 2.0 * rows * (activeWeightsPerToken - lmHeadWeights) + 2.0 * logitRows * lmHeadWeights + attention;
    }

    /** Seconds of the roofline for those bytes and FLOPs on a machine of the given limits. */
    static double seconds(double bytes, double flops, double bytesPerSecond, double flopsPerSecond) {
        return Math.max(bytes / bytesPerSecond, flops / flopsPerSecond);
    }
}
