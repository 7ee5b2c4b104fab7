package io.podserve.model.config;

/**
 * Rotary position embedding parameters, normalized from {@code rope_parameters} (transformers 5) or
 * the legacy top-level {@code rope_theta} plus {@code rope_scaling}. Optional fields hold the
 * defaults transformers applies when they are absent, so two spellings of one model compare equal.
 *
 * @param type            the scaling variant
 * @param theta           base frequency
 * @param factor          context extension factor (1 for {@link RopeType#DEFAULT})
 * @param originalMaxPositionEmbeddings the pre-extension context (YaRN, llama3); 0 when unused
 * @param betaFast        YaRN: extrapolation boundary in rotations (default 32)
 * @param betaSlow        YaRN: interpolation boundary in rotations (default 1)
 * @param mscale          YaRN (DeepSeek form): attention-temperature scale (0 when unused)
 * @param mscaleAllDim    YaRN (DeepSeek form): the scale that cancels mscale (0 when unused)
 * @param attentionFactor YaRN: explicit attention scale; NaN means derive it from factor/mscale
 * @param truncate        YaRN: whether correction bounds are floored/ceiled (transformers default true)
 * @param lowFreqFactor   llama3: low-frequency wavelength factor
 * @param highFreqFactor  llama3: high-frequency wavelength factor
 * @param partialRotaryFactor fraction of head dims rotated (1 unless the config says otherwise)
 */
public record RopeConfig(
        RopeType type,
        double theta,
        double factor,
        int originalMaxPositionEmbeddings,
        double betaFast,
        double betaSlow,
        double mscale,
        double mscaleAllDim,
        double attentionFactor,
        boolean truncate,
        double lowFreqFactor,
        double highFreqFactor,
        double partialRotaryFactor) {

    /** Plain RoPE with base {@code theta}. */
    public static RopeConfig plain(double theta) {
        return new RopeConfig(RopeType.DEFAULT, theta, 1.0, 0, 32, 1, 0, 0, Double.NaN, true, 1, 4, 1.0);
    }

    /** The variants of rotary scaling in hub configs. */
    public enum RopeType {
        DEFAULT, LINEAR, DYNAMIC, YARN, LLAMA3;

        static RopeType fromName(String name) {
            return switch (name) {
                case "default" -> DEFAULT;
                case "linear" -> LINEAR;
                case "dynamic" -> DYNAMIC;
                case "yarn", "deepseek_yarn" -> YARN;
                case "llama3" -> LLAMA3;
                default -> throw new IllegalArgumentException("unsupported rope type '" + name
                        + "'; supported: default, linear, dynamic, yarn, llama3");
            };
        }
    }
}
