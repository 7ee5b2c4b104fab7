package io.podserve.kernels.routing;

import java.util.Arrays;
import java.util.Comparator;
import java.util.stream.IntStream;

/**
 * An independent, deliberately naive re-derivation of each routing method for one token: full
 * sorts instead of top-k selection, one formula per line as the model code writes it.
 */
final class RouterReference {
    /** Chosen experts and weights of one token. */
    record Choice(int[] ids, float[] weights) {
    }

    private RouterReference() {
    }

    static Choice route(RoutingParams p, float[] logits, float[] bias) {
        int k = p.topK();
        return switch (p.method()) {
            case SOFTMAX_TOPK, SOFTMAX_TOPK_RENORM -> {
                float[] probs = softmax(logits);
                int[] ids = Arrays.copyOf(order(probs), k);
                float[] w = gather(probs, ids);
                if (p.method() == RoutingMethod.SOFTMAX_TOPK_RENORM) {
                    float total = 0f;
                    for (float v : w) {
                        total += v;
                    }
                    for (int j = 0; j < k; j++) {
                        w[j] = w[j] / total;
                    }
                }
                yield new Choice(ids, w);
            }
            case TOPK_THEN_SOFTMAX -> {
                int[] ids = Arrays.copyOf(order(logits), k);
                yield new Choice(ids, softmax(gather(logits, ids)));
            }
            case GROUPED_SIGMOID -> grouped(p, logits, bias);
        };
    }

    private static Choice grouped(RoutingParams p, float[] logits, float[] bias) {
        int n = p.numExperts();
        int size = p.groupSize();
        float[] scores = new float[n];
        float[] choice = new float[n];
        for (int e = 0; e < n; e++) {
            scores[e] = (float) (1.0 / (1.0 + Math.exp(-logits[e])));
            choice[e] = scores[e] + (bias == null ? 0f : bias[e]);
        }
        if (p.numGroups() > 1) {
            float[] groupScores = new float[p.numGroups()];
            for (int g = 0; g < p.numGroups(); g++) {
                float[] members = Arrays.copyOfRange(choice, g * size, (g + 1) * size);
                int[] best = order(members);
                groupScores[g] = members[best[0]] + members[best[1]];
            }
            int[] groupOrder = order(groupScores);
            for (int r = p.topkGroups(); r < p.numGroups(); r++) {
                Arrays.fill(choice, groupOrder[r] * size, (groupOrder[r] + 1) * size, Float.NEGATIVE_INFINITY);
            }
        }
        int[] ids = Arrays.copyOf(order(choice), p.topK());
        float[] w = gather(scores, ids);
        float total = 0f;
        for (float v : w) {
            total += v;
        }
        for (int j = 0; j < w.length; j++) {
            w[j] = (p.normTopk() ? w[j] / (total + 1e-20f) : w[j]) * p.routedScaling();
        }
        return new Choice(ids, w);
    }

    /** All indices by descending value, equal values by ascending index. */
    static int[] order(float[] values) {
        return IntStream.range(0, values.length).boxed()
                .sorted(Comparator.<Integer>comparingDouble(i -> values[i]).reversed()
                        .thenComparingInt(i -> i))
                .mapToInt(Integer::intValue).toArray();
    }

    static float[] softmax(float[] x) {
        float max = Float.NEGATIVE_INFINITY;
        for (float v : x) {
            max = Math.max(max, v);
        }
        float[] e = new float[x.length];
        float total = 0f;
        for (int i = 0; i < x.length; i++) {
            e[i] = (float) Math.exp(x[i] - max);
            total += e[i];
        }
        for (int i = 0; i < x.length; i++) {
            e[i] = e[i] / total;
        }
        return e;
    }

    private static float[] gather(float[] values, int[] ids) {
        float[] out = new float[ids.length];
        for (int j = 0; j < ids.length; j++) {
            out[j] = values[ids[j]];
        }
        return out;
    }
}
