package io.podserve.kernels.sampling;

import java.lang.foreign.MemorySegment;
import java.util.Arrays;

/**
 * The tokens still in the running for one draw, with their unnormalized probabilities
 * ({@code exp((logit - max) / temperature)}, so the most likely token weighs 1). The buffers belong
 * to a {@link SamplingWorkspace} and are reused across calls; they grow only when the vocab does.
 *
 * <p>Two shapes: <em>sorted</em> (a subset in descending order, keyed by {@link TokenKey}) for the
 * filters, and <em>dense</em> (every token, in id order) when no filter is on, which needs no sort.
 */
final class Candidates {
    // Top-p tolerates this relative shortfall of the cumulative mass, so a topP equal to a
    // cumulative sum (0.75 = 0.5 + 0.25) keeps that set despite float rounding of the weights.
    static final double MASS_SLACK = 1e-6;
    // Top-p pruning buckets the weights by their float bits: 2^20 apart is 1/8 of an octave, and
    // weights in [0, 1] have bits at most 0x3f800000, so 0x3f8 + 1 buckets cover them.
    private static final int BUCKET_SHIFT = 20;
    private static final int BUCKETS = (Float.floatToRawIntBits(1f) >>> BUCKET_SHIFT) + 1;

    private long[] keys = new long[0];
    private float[] weights = new float[0];
    private float[] perToken = new float[0];
    private final double[] bucketMass = new double[BUCKETS];
    private int size;
    private double total;
    private boolean dense;

    int size() {
        return size;
    }

    /** The token at candidate position {@code index} (0 = most likely, unless dense). */
    int token(int index) {
        return dense ? index : TokenKey.token(keys[index]);
    }

    /** Every token, in id order. */
    void selectAll(MemorySegment logits, long offset, int vocab, double invTemperature) {
        grow(vocab);
        total = RowExp.exp(logits, offset, vocab, RowExp.max(logits, offset, vocab), (float) invTemperature,
                weights);
        size = vocab;
        dense = true;
    }

    /** The {@code k} largest logits, by a bounded heap: O(vocab · log k) at worst, never a full sort. */
    void selectTopK(MemorySegment logits, long offset, int vocab, int k, double invTemperature) {
        grow(k);
        int n = TopK.select(logits, offset, vocab, k, keys);
        float max = TokenKey.value(keys[0]);
        double sum = 0;
        for (int i = 0; i < n; i++) {
            weights[i] = (float) Math.exp((TokenKey.value(keys[i]) - max) * invTemperature);
            sum += weights[i];
        }
        size = n;
        total = sum;
        dense = false;
    }

    /**
     * The tokens that top-p and min-p may keep, sorted, without sorting the vocab. Tokens above a
     * probability threshold are a prefix of the descending order, so once their mass reaches
     * {@code topP} the nucleus lies inside them: a histogram of the mass finds the highest such
     * threshold in one pass, and only the nucleus plus part of one bucket gets sorted. The threshold
     * never needs to go below min-p's cut.
     */
    void selectForMass(MemorySegment logits, long offset, int vocab, double invTemperature, double topP,
            double minP) {
        grow(vocab);
        total = RowExp.exp(logits, offset, vocab, RowExp.max(logits, offset, vocab), (float) invTemperature,
                perToken);
        double threshold = Math.max(minP, nucleusBound(vocab, topP * total * (1 - MASS_SLACK)));
        collect(vocab, threshold);
        KeyHeap.heapify(keys, size);
        KeyHeap.sortDescending(keys, size);
        for (int i = 0; i < size; i++) {
            weights[i] = TokenKey.value(keys[i]);
        }
        dense = false;
    }

    /** The lower edge of the highest weight bucket at which the mass from the top reaches {@code needed}. */
    private float nucleusBound(int vocab, double needed) {
        Arrays.fill(bucketMass, 0);
        for (int i = 0; i < vocab; i++) {
            bucketMass[Float.floatToRawIntBits(perToken[i]) >>> BUCKET_SHIFT] += perToken[i];
        }
        double mass = 0;
        for (int b = BUCKETS - 1; b >= 0; b--) {
            mass += bucketMass[b];
            if (mass >= needed) {
                return Float.intBitsToFloat(b << BUCKET_SHIFT);
            }
        }
        return 0; // rounding kept the sum short of the total: take everything
    }

    /**
     * Top-p: cuts the sorted candidates to the shortest prefix whose mass reaches {@code topP} of the
     * selection's total (at least one token). {@code total} stays the pre-cut mass on purpose: top-p
     * is measured against the distribution as top-k left it.
     */
    void keepNucleus(double topP) {
        double needed = topP * total * (1 - MASS_SLACK);
        double cumulative = 0;
        for (int i = 0; i < size; i++) {
            cumulative += weights[i];
            if (cumulative >= needed) {
                size = i + 1;
                return;
            }
        }
    }

    /**
     * Min-p: drops sorted candidates below {@code minP × max prob}. Weights are relative to the top
     * token (which weighs 1), so the cut is simply {@code weight < minP}; the top token always stays.
     */
    void keepMinP(double minP) {
        for (int i = 1; i < size; i++) {
            if (weights[i] < minP) {
                size = i;
                return;
            }
        }
    }

    /** The candidate position that a uniform {@code u ∈ [0, 1)} lands on, by the inverse CDF. */
    int pick(double u) {
        double target = u * (dense ? total : keptMass());
        double cumulative = 0;
        for (int i = 0; i < size; i++) {
            cumulative += weights[i];
            if (target < cumulative) {
                return i;
            }
        }
        return lastNonZero(); // rounding left target at (or past) the very end
    }

    private double keptMass() {
        double sum = 0;
        for (int i = 0; i < size; i++) {
            sum += weights[i];
        }
        return sum;
    }

    private int lastNonZero() {
        int i = size - 1;
        while (i > 0 && weights[i] == 0) {
            i--;
        }
        return i;
    }

    /** Collects tokens with {@code perToken ≥ threshold} as keys. */
    private void collect(int vocab, double threshold) {
        int n = 0;
        for (int i = 0; i < vocab; i++) {
            if (perToken[i] >= threshold) {
                keys[n++] = TokenKey.of(perToken[i], i);
            }
        }
        size = n;
    }

    private void grow(int n) {
        if (keys.length < n) {
            keys = new long[n];
            weights = new float[n];
            perToken = new float[n];
        }
    }
}
