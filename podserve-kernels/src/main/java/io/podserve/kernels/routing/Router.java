package io.podserve.kernels.routing;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * MoE routing in plain scalar f32, as Hugging Face transformers computes it. A router row is at most
 * a few hundred floats, so this is a sliver of a step's work and needs no vector path.
 */
public final class Router {
    private static final ValueLayout.OfFloat F32 = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    private Router() {
    }

    /**
     * Chooses {@code p.topK()} experts per token and their combine weights.
     *
     * @param logits         f32 {@code [batch, numExperts]}, the router projection's output (bias
     *                       already added where the model has one)
     * @param correctionBias DeepSeek's {@code e_score_correction_bias} {@code [numExperts]}, or null
     *                       (zero); used by {@link RoutingMethod#GROUPED_SIGMOID} only
     * @param expertIds      out {@code [batch, topK]}: chosen experts, by descending selection score,
     *                       ties to the lower expert index (as {@code torch.topk})
     * @param weights        out {@code [batch, topK]}: the final combine weight of each chosen expert,
     *                       routed scaling included
     */
    public static void route(RoutingParams p, MemorySegment logits, int batch, float[] correctionBias,
            int[] expertIds, float[] weights) {
        int n = p.numExperts();
        int k = p.topK();
        if (logits.byteSize() < (long) batch * n * Float.BYTES || expertIds.length < batch * k
                || weights.length < batch * k) {
            throw new IllegalArgumentException("logits, expertIds or weights too small for batch " + batch);
        }
        if (correctionBias != null && correctionBias.length != n) {
            throw new IllegalArgumentException("correctionBias needs " + n + " values, got " + correctionBias.length);
        }
        Scratch s = new Scratch(p);
        for (int b = 0; b < batch; b++) {
            MemorySegment.copy(logits, F32, (long) b * n * Float.BYTES, s.row, 0, n);
            switch (p.method()) {
                case SOFTMAX_TOPK -> softmaxTopK(s, n, k, false);
                case SOFTMAX_TOPK_RENORM -> softmaxTopK(s, n, k, true);
                case TOPK_THEN_SOFTMAX -> topKThenSoftmax(s, n, k);
                case GROUPED_SIGMOID -> groupedSigmoid(p, s, correctionBias);
            }
            System.arraycopy(s.idx, 0, expertIds, b * k, k);
            System.arraycopy(s.vals, 0, weights, b * k, k);
        }
    }

    /** Per-call working arrays, reused across the batch's rows. */
    private static final class Scratch {
        final float[] row;         // [numExperts] logits, then scores
        final float[] choice;      // [numExperts] selection scores (GROUPED_SIGMOID)
        final boolean[] allowed;   // [numExperts] in a kept group
        final float[] groupScores; // [numGroups]
        final int[] idx;           // [topK] result experts
        final float[] vals;        // [topK] selection scores, then weights
        final int[] groupIdx;      // [topkGroups]
        final float[] groupVals;   // [topkGroups]
        final float[] inGroup;     // [groupSize] one group's selection scores
        final int[] pairIdx = new int[2];
        final float[] pairVals = new float[2];

        Scratch(RoutingParams p) {
            row = new float[p.numExperts()];
            choice = new float[p.numExperts()];
            allowed = new boolean[p.numExperts()];
            groupScores = new float[p.numGroups()];
            inGroup = new float[p.groupSize()];
            idx = new int[p.topK()];
            vals = new float[p.topK()];
            groupIdx = new int[p.topkGroups()];
            groupVals = new float[p.topkGroups()];
        }
    }

    private static void softmaxTopK(Scratch s, int n, int k, boolean renormalize) {
        softmax(s.row, n);
        TopK.select(s.row, n, null, k, s.idx, s.vals); // vals: the chosen probabilities
        if (renormalize) {
            divide(s.vals, k, sum(s.vals, k));
        }
    }

    private static void topKThenSoftmax(Scratch s, int n, int k) {
        TopK.select(s.row, n, null, k, s.idx, s.vals);
        softmax(s.vals, k); // vals are sorted descending, so vals[0] is the max softmax subtracts
    }

    /**
     * DeepSeek-V3's noaux_tc: select on {@code sigmoid(logit) + bias} within the best groups, weigh by
     * the unbiased sigmoid.
     *
     * <p>NOTE: experts of dropped groups are never chosen (DeepSeek's reference code masks them with
     * -inf). transformers' DeepseekV3 masks them with 0.0 instead, which differs only when fewer than
     * k experts of the kept groups have a positive biased score — not seen with trained biases.
     * Checked against transformers on hf-tiny deepseek_v3 (random non-zero bias) and fortune-moe: the
     * lowest biased score of any chosen expert over all their router rows was 0.36 and 0.0096, so
     * the two maskings never differ there, and both match transformers' logits to 3e-5.
     */
    private static void groupedSigmoid(RoutingParams p, Scratch s, float[] bias) {
        int n = p.numExperts();
        for (int e = 0; e < n; e++) {
            s.row[e] = sigmoid(s.row[e]);
            s.choice[e] = bias == null ? s.row[e] : s.row[e] + bias[e];
        }
        keepBestGroups(p, s);
        TopK.select(s.choice, n, p.numGroups() > 1 ? s.allowed : null, p.topK(), s.idx, s.vals);
        int k = p.topK();
        for (int j = 0; j < k; j++) {
            s.vals[j] = s.row[s.idx[j]]; // weights use the scores without the bias
        }
        if (p.normTopk()) {
            divide(s.vals, k, sum(s.vals, k) + 1e-20f);
        }
        scale(s.vals, k, p.routedScaling());
    }

    /** Marks in {@code s.allowed} the experts of the {@code topkGroups} groups with the best top-2 sums. */
    private static void keepBestGroups(RoutingParams p, Scratch s) {
        if (p.numGroups() == 1) {
            return;
        }
        int size = p.groupSize();
        for (int g = 0; g < p.numGroups(); g++) {
            System.arraycopy(s.choice, g * size, s.inGroup, 0, size);
            TopK.select(s.inGroup, size, null, 2, s.pairIdx, s.pairVals);
            s.groupScores[g] = s.pairVals[0] + s.pairVals[1];
        }
        TopK.select(s.groupScores, p.numGroups(), null, p.topkGroups(), s.groupIdx, s.groupVals);
        Arrays.fill(s.allowed, false);
        for (int j = 0; j < p.topkGroups(); j++) {
            Arrays.fill(s.allowed, s.groupIdx[j] * size, (s.groupIdx[j] + 1) * size, true);
        }
    }

    /** In-place f32 softmax over {@code x[0, n)}, max-subtracted as torch does. */
    static void softmax(float[] x, int n) {
        float max = Float.NEGATIVE_INFINITY;
        for (int i = 0; i < n; i++) {
            max = Math.max(max, x[i]);
        }
        float total = 0f;
        for (int i = 0; i < n; i++) {
            x[i] = (float) Math.exp(x[i] - max);
            total += x[i];
        }
        divide(x, n, total);
    }

    private static float sigmoid(float x) {
        return (float) (1.0 / (1.0 + Math.exp(-x)));
    }

    private static float sum(float[] x, int n) {
        float total = 0f;
        for (int i = 0; i < n; i++) {
            total += x[i];
        }
        return total;
    }

    private static void divide(float[] x, int n, float divisor) {
        for (int i = 0; i < n; i++) {
            x[i] /= divisor;
        }
    }

    private static void scale(float[] x, int n, float factor) {
        for (int i = 0; i < n; i++) {
            x[i] *= factor;
        }
    }
}
