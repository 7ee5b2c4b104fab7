package io.podserve.model.config;

/**
 * How a checkpoint's weights are stored, from {@code quantization_config}.
 *
 * @param method         the {@code quant_method} ("fp8" for DeepSeek-V3's block-scaled e4m3)
 * @param blockRows      rows of one scale block (128 for DeepSeek-V3)
 * @param blockCols      columns of one scale block
 */
public record QuantizationConfig(String method, int blockRows, int blockCols) {
    public boolean isFp8() {
        return method.equals("fp8");
    }
}
