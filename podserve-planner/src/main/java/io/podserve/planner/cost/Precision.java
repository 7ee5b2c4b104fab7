package io.podserve.planner.cost;

import io.podserve.model.config.ModelConfig;
import io.podserve.model.config.ModelType;
import io.podserve.planner.catalog.WeightFormat;

/**
 * How a deployment stores its weights and KV cache.
 *
 * @param weights      non-expert weights
 * @param experts      routed-expert weights
 * @param kvBytes      bytes per KV cache element
 * @param actBytes     bytes per activation element moved between kernels and chips
 */
public record Precision(WeightFormat weights, WeightFormat experts, double kvBytes, double actBytes) {

    /**
     * The checkpoint's own storage: DeepSeek-V3/Kimi-K2 ship block-scaled FP8, GPT-OSS MXFP4 experts,
     * the rest bf16; {@code override} (when not null) sets every weight.
     */
    public static Precision of(ModelConfig c, WeightFormat override, double kvBytes) {
        if (override != null) {
            return new Precision(override, override, kvBytes, 2);
        }
        // NOTE: the presets' config.json omit quantization_config; DeepSeek-V3 and Kimi-K2 (model_type
        // deepseek_v3) ship their weights as block-scaled FP8 either way.
        if ((c.quantization() != null && c.quantization().isFp8()) || c.type() == ModelType.DEEPSEEK_V3) {
            return new Precision(WeightFormat.FP8, WeightFormat.FP8, kvBytes, 2);
        }
        if (c.type() == ModelType.GPT_OSS) {
            return new Precision(WeightFormat.BF16, WeightFormat.MXFP4, kvBytes, 2);
        }
        return new Precision(WeightFormat.BF16, WeightFormat.BF16, kvBytes, 2);
    }
}
