package io.podserve.kernels;

/**
 * transformers' inverse-frequency formulas ({@code _compute_default_rope_parameters},
 * {@code _compute_linear_scaling_rope_parameters}, {@code _compute_yarn_parameters},
 * {@code _compute_llama3_parameters}), step by step in the precision torch uses: tensor math in f32
 * with python scalars rounded to f32, python scalar math in f64. {@code scalar / tensor} is
 * {@code tensor.reciprocal() * scalar} in torch, and is written so here.
 *
 * <p>NOTE: YaRN takes {@code factor} as given, as transformers 5 does. transformers 4.5x replaced it
 * by {@code max_position_embeddings / original_max_position_embeddings} whenever the latter was
 * set; for DeepSeek-V3 and GPT-OSS the two agree. Callers wanting the old rule pass that ratio.
 */
final class RopeFrequencies {
    private RopeFrequencies() {
    }

    static float[] inverseFrequencies(RopeParams p) {
        return switch (p.type()) {
            case DEFAULT -> base(p);
            case LINEAR -> linear(p);
            case YARN -> yarn(p);
            case LLAMA3 -> llama3(p);
        };
    }

    /** The factor cos/sin are scaled by: YaRN's attention factor, 1 for the others. */
    static double attentionScaling(RopeParams p) {
        if (p.type() != RopeParams.Type.YARN) {
            return 1.0;
        }
        if (!Double.isNaN(p.attentionFactor())) {
            return p.attentionFactor();
        }
        if (p.mscale() != 0 && p.mscaleAllDim() != 0) {
            return mscale(p.factor(), p.mscale()) / mscale(p.factor(), p.mscaleAllDim());
        }
        return mscale(p.factor(), 1.0);
    }

    private static double mscale(double scale, double mscale) {
        return scale <= 1 ? 1.0 : 0.1 * mscale * Math.log(scale) + 1.0;
    }

    /** {@code base ** (arange(0, dim, 2).float() / dim)} in f32. */
    private static float[] positionFrequencies(RopeParams p) {
        int dim = p.rotaryDim();
        float base = (float) p.theta();
        float[] out = new float[dim / 2];
        for (int j = 0; j < out.length; j++) {
            float exponent = (float) (2 * j) / (float) dim;
            out[j] = (float) Math.pow(base, exponent);
        }
        return out;
    }

    private static float[] base(RopeParams p) {
        float[] inv = positionFrequencies(p);
        for (int j = 0; j < inv.length; j++) {
            inv[j] = 1f / inv[j];
        }
        return inv;
    }

    private static float[] linear(RopeParams p) {
        float[] inv = base(p);
        float factor = (float) p.factor();
        for (int j = 0; j < inv.length; j++) {
            inv[j] /= factor;
        }
        return inv;
    }

    private static float[] yarn(RopeParams p) {
        int dim = p.rotaryDim();
        double betaFast = p.betaFast() == 0 ? 32 : p.betaFast();
        double betaSlow = p.betaSlow() == 0 ? 1 : p.betaSlow();
        double low = correctionDim(betaFast, dim, p.theta(), p.originalMaxPositions());
        double high = correctionDim(betaSlow, dim, p.theta(), p.originalMaxPositions());
        if (p.truncate()) {
            low = Math.floor(low);
            high = Math.ceil(high);
        }
        low = Math.max(low, 0);
        high = Math.min(high, dim - 1);
        if (low == high) {
            high += 0.001; // transformers: prevent a zero-width ramp
        }
        float[] posFreqs = positionFrequencies(p);
        float factor = (float) p.factor();
        float rampLow = (float) low;
        float rampWidth = (float) (high - low);
        float[] inv = new float[dim / 2];
        for (int j = 0; j < inv.length; j++) {
            float extrapolation = 1f / posFreqs[j];
            float interpolation = 1f / (factor * posFreqs[j]);
            float ramp = Math.clamp(((float) j - rampLow) / rampWidth, 0f, 1f);
            float extrapolationFactor = 1f - ramp;
            inv[j] = interpolation * (1f - extrapolationFactor) + extrapolation * extrapolationFactor;
        }
        return inv;
    }

    /** The (fractional) dimension index whose wavelength fits {@code rotations} times into the context. */
    private static double correctionDim(double rotations, int dim, double base, int maxPositions) {
        return (dim * Math.log(maxPositions / (rotations * 2 * Math.PI))) / (2 * Math.log(base));
    }

    private static float[] llama3(RopeParams p) {
        float[] inv = base(p);
        double oldContext = p.originalMaxPositions();
        float lowFreqWavelen = (float) (oldContext / p.lowFreqFactor());
        float highFreqWavelen = (float) (oldContext / p.highFreqFactor());
        float factor = (float) p.factor();
        float twoPi = (float) (2 * Math.PI);
        for (int j = 0; j < inv.length; j++) {
            float wavelen = (1f / inv[j]) * twoPi;
            float scaled = wavelen > lowFreqWavelen ? inv[j] / factor : inv[j];
            boolean medium = !(wavelen < highFreqWavelen) && !(wavelen > lowFreqWavelen);
            if (medium) {
                float smooth = ((1f / wavelen) * (float) oldContext - (float) p.lowFreqFactor())
                        / (float) (p.highFreqFactor() - p.lowFreqFactor());
                scaled = (1f - smooth) * scaled / factor + smooth * scaled;
            }
            inv[j] = scaled;
        }
        return inv;
    }
}
