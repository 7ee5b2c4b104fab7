package io.podserve.model.checkpoint;

import io.podserve.model.config.AttentionConfig;
import io.podserve.model.config.AttentionConfig.LayerKind;
import io.podserve.model.config.ModelConfig;
import io.podserve.model.weights.DType;
import io.podserve.model.weights.TensorInfo;
import io.podserve.model.weights.WeightStore;

import java.util.Map;
import java.util.TreeMap;

/**
 * What {@code podserve inspect} reports about a checkpoint: parameter counts, storage, and the KV
 * cache a sequence needs.
 *
 * @param numParameters       every element of every tensor on disk (FP8 block scales included)
 * @param numActiveParameters parameters one token passes through: everything but the routed experts,
 *                            plus top-k of E of those
 * @param numParametersByDType element counts per stored dtype
 * @param weightBytes         bytes of tensor data on disk
 * @param kvBytesPerToken     KV cache bytes one token adds over all layers, stored as f32 (MLA: the
 *                            compressed latent and the rope key; otherwise K and V of every KV head)
 */
public record ModelSummary(long numParameters, long numActiveParameters, Map<DType, Long> numParametersByDType,
                           long weightBytes, long kvBytesPerToken) {

    /**
     * Bytes of one KV-cache element: the units keep K, V and MLA latents in f32, so decode reads
     * back exactly what prefill computed (the reference comparisons hold to ~1e-5 that way).
     */
    public static final int KV_ELEMENT_BYTES = 4;

    public static ModelSummary of(ModelConfig config, WeightStore weights) {
        long total = 0;
        double active = 0;
        Map<DType, Long> byDType = new TreeMap<>();
        double routedFraction = config.isMoe()
                ? (double) config.moe().numExpertsPerToken() / config.moe().numExperts() : 1.0;
        for (String name : weights.names()) {
            TensorInfo t = weights.info(name);
            long n = t.numElements();
            total += n;
            byDType.merge(t.dtype(), n, Long::sum);
            active += isRoutedExpert(name) ? n * routedFraction : n;
        }
        return new ModelSummary(total, Math.round(active), byDType, weights.totalBytes(), kvBytesPerToken(config));
    }

    /** Routed experts are the only weights a token does not always pass through. */
    static boolean isRoutedExpert(String name) {
        return name.contains(".experts.");
    }

    /** KV-cache bytes one token adds over all layers. */
    public static long kvBytesPerToken(ModelConfig config) {
        AttentionConfig a = config.attention();
        long perLayer = a.mla() != null
                ? a.mla().kvLoraRank() + a.mla().qkRopeHeadDim()
                : 2L * a.numKvHeads() * a.headDim();
        return perLayer * config.numLayers() * KV_ELEMENT_BYTES;
    }

    /**
     * KV bytes of one sequence of {@code numTokens}: sliding-window layers keep at most their window
     * (a sliding layer never attends further back).
     */
    public static long kvBytesForSequence(ModelConfig config, long numTokens) {
        long perLayerToken = kvBytesPerToken(config) / config.numLayers();
        long bytes = 0;
        for (LayerKind kind : config.attention().layerKinds()) {
            long kept = kind == LayerKind.SLIDING ? Math.min(numTokens, config.attention().slidingWindow()) : numTokens;
            bytes += kept * perLayerToken;
        }
        return bytes;
    }
}
