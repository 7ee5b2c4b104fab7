package io.podserve.kernels;

/**
 * Rotary embedding parameters, as plain numbers so the kernels need no model module. Field
 * meanings and defaults follow transformers' {@code rope_parameters}.
 *
 * @param type                 frequency variant
 * @param theta                base ({@code rope_theta})
 * @param factor               scaling factor (1 for {@link Type#DEFAULT})
 * @param originalMaxPositions YaRN, llama3: the pre-extension context ({@code original_max_position_embeddings})
 * @param betaFast             YaRN: extrapolation boundary in rotations; 0 means 32
 * @param betaSlow             YaRN: interpolation boundary in rotations; 0 means 1
 * @param mscale               YaRN, DeepSeek form: 0 when unused
 * @param mscaleAllDim         YaRN, DeepSeek form: 0 when unused
 * @param attentionFactor      YaRN: explicit cos/sin scale; NaN means derive it
 * @param truncate             YaRN: floor/ceil the correction range (transformers' default true)
 * @param lowFreqFactor        llama3
 * @param highFreqFactor       llama3
 * @param partialRotaryFactor  fraction of the head rotated; {@code rotaryDim = (int) (headDim · factor)}
 * @param headDim              elements per head
 * @param maxPositions         positions the cos/sin tables cover, {@code [0, maxPositions)}
 */
public record RopeParams(
        Type type,
        double theta,
        double factor,
        int originalMaxPositions,
        double betaFast,
        double betaSlow,
        double mscale,
        double mscaleAllDim,
        double attentionFactor,
        boolean truncate,
        double lowFreqFactor,
        double highFreqFactor,
        double partialRotaryFactor,
        int headDim,
        int maxPositions) {

    /** The frequency variants: transformers' {@code rope_type} values this backend computes. */
    public enum Type {
        DEFAULT, LINEAR, YARN, LLAMA3
    }

    public RopeParams {
        if (rotaryDim(headDim, partialRotaryFactor) < 2 || rotaryDim(headDim, partialRotaryFactor) % 2 != 0) {
            throw new IllegalArgumentException("rotary dim must be even and >= 2; headDim " + headDim
                    + ", partial factor " + partialRotaryFactor);
        }
        if (maxPositions <= 0) {
            throw new IllegalArgumentException("maxPositions must be > 0, got " + maxPositions);
        }
        if ((type == Type.YARN || type == Type.LLAMA3) && originalMaxPositions <= 0) {
            throw new IllegalArgumentException(type + " needs originalMaxPositions > 0");
        }
    }

    /** Plain RoPE: base {@code theta}, whole head rotated. */
    public static RopeParams plain(double theta, int headDim, int maxPositions) {
        return new RopeParams(Type.DEFAULT, theta, 1, 0, 32, 1, 0, 0, Double.NaN, true, 1, 4, 1, headDim,
                maxPositions);
    }

    /** Elements of a head that rotate (the rest pass through): {@code int(headDim · partialRotaryFactor)}. */
    public int rotaryDim() {
        return rotaryDim(headDim, partialRotaryFactor);
    }

    private static int rotaryDim(int headDim, double partialRotaryFactor) {
        return (int) (headDim * partialRotaryFactor);
    }
}
