package io.podserve.kernels.sampling;

import java.lang.foreign.MemorySegment;
import java.util.Arrays;
import java.util.Comparator;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Which tokens top-k, top-p and min-p keep, alone and together, against hand-made cases and a full sort. */
class FilterTest {
    // Ids shuffled against probability so that id order never happens to be the answer.
    private static final double[] HALVES = {0.0625, 0.25, 0.125, 0.5, 0.0625};

    @Test
    void topKKeepsExactlyK() {
        float[] logits = Rows.gaussian(1000, 3, 1);
        for (int k : new int[] {1, 7, 999}) {
            int[] kept = kept(Rows.params(1, k, 1, 0, 1), logits);
            assertEquals(k, kept.length);
            assertArrayEquals(reference(logits, 1, k, 1, 0), kept);
        }
    }

    @Test
    void topKBreaksTiesTowardsLowerIds() {
        assertArrayEquals(new int[] {1, 2}, kept(Rows.params(1, 2, 1, 0, 1), new float[] {1, 2, 2, 2, 0}));
    }

    @Test
    void topKTiesAcrossWholeVectors() {
        // Equal logits spanning many vectors: the skip over vectors "not above the root" must keep the lowest ids.
        float[] logits = new float[100];
        Arrays.fill(logits, 1);
        logits[70] = 2;
        logits[3] = Float.NEGATIVE_INFINITY;
        assertArrayEquals(new int[] {0, 1, 2, 70}, kept(Rows.params(1, 4, 1, 0, 1), logits));
    }

    @Test
    void sampledTokensStayInsideTopK() {
        float[] logits = Rows.gaussian(200, 0.5, 2);
        int[] counts = Rows.histogram(new Sampler(Rows.params(1, 5, 1, 0, 3)), Rows.row(logits), 200, 2000);
        int[] top5 = reference(logits, 1, 5, 1, 0);
        for (int t = 0; t < 200; t++) {
            assertEquals(Arrays.binarySearch(top5, t) >= 0, counts[t] > 0, "token " + t);
        }
    }

    @Test
    void topPKeepsTheSmallestSetReachingP() {
        float[] logits = Rows.logitsOf(HALVES); // 3: 0.5, 1: 0.25, 2: 0.125, 0 and 4: 0.0625
        assertArrayEquals(new int[] {3}, kept(Rows.params(1, 0, 0.3, 0, 1), logits));
        assertArrayEquals(new int[] {3}, kept(Rows.params(1, 0, 0.5, 0, 1), logits), "p at a cumulative sum");
        assertArrayEquals(new int[] {1, 3}, kept(Rows.params(1, 0, 0.5001, 0, 1), logits));
        assertArrayEquals(new int[] {1, 3}, kept(Rows.params(1, 0, 0.75, 0, 1), logits), "p at a cumulative sum");
        assertArrayEquals(new int[] {1, 2, 3}, kept(Rows.params(1, 0, 0.875, 0, 1), logits));
        // 0 and 4 tie: the lower id comes first.
        assertArrayEquals(new int[] {0, 1, 2, 3}, kept(Rows.params(1, 0, 0.9, 0, 1), logits));
        assertArrayEquals(new int[] {0, 1, 2, 3, 4}, kept(Rows.params(1, 0, 0.99, 0, 1), logits));
    }

    @Test
    void topPWithTheTopTokenAboveP() {
        assertArrayEquals(new int[] {1}, kept(Rows.params(1, 0, 0.01, 0, 1), new float[] {0, 1, 0}));
    }

    @Test
    void topPReachesIntoALongTail() {
        // One head token and a tail each e^-10 as likely, together 48% of the mass: the nucleus needs
        // tail tokens below the first pruning threshold, so the threshold has to come down.
        float[] logits = new float[20_000];
        Arrays.fill(logits, -10f);
        logits[777] = 0;
        int[] kept = kept(Rows.params(1, 0, 0.8, 0, 1), logits);
        assertArrayEquals(reference(logits, 1, 0, 0.8, 0), kept);
        assertTrue(kept.length > 1000, "kept " + kept.length);
    }

    @Test
    void minPDropsTokensBelowAFractionOfTheTop() {
        float[] logits = Rows.logitsOf(0.05, 0.2, 0.5, 0.1, 0.15);
        assertArrayEquals(new int[] {1, 2, 4}, kept(Rows.params(1, 0, 1, 0.25, 1), logits));
        assertArrayEquals(new int[] {0, 1, 2, 3, 4}, kept(Rows.params(1, 0, 1, 0.05, 1), logits));
        assertArrayEquals(new int[] {2}, kept(Rows.params(1, 0, 1, 1, 1), logits));
    }

    @Test
    void minPIsRelativeToTheTemperedDistribution() {
        // At T = 2 the ratio 0.1 / 0.5 becomes sqrt(0.2) ≈ 0.447, which passes min-p 0.4.
        float[] logits = Rows.logitsOf(0.05, 0.2, 0.5, 0.1, 0.15);
        assertArrayEquals(new int[] {1, 2, 3, 4}, kept(Rows.params(2, 0, 1, 0.4, 1), logits));
    }

    @Test
    void topPIsMeasuredAfterTopK() {
        // Renormalized over the top two, 0.4 becomes 0.571 ≥ 0.55: one token. Over all four it would take two.
        float[] logits = Rows.logitsOf(0.1, 0.4, 0.2, 0.3);
        assertArrayEquals(new int[] {1}, kept(Rows.params(1, 2, 0.55, 0, 1), logits));
        assertArrayEquals(new int[] {1, 3}, kept(Rows.params(1, 0, 0.55, 0, 1), logits));
    }

    @Test
    void minPAfterTopP() {
        float[] logits = Rows.logitsOf(0.1, 0.4, 0.2, 0.3);
        assertArrayEquals(new int[] {1, 2, 3}, kept(Rows.params(1, 0, 0.9, 0, 1), logits));
        assertArrayEquals(new int[] {1, 3}, kept(Rows.params(1, 0, 0.9, 0.6, 1), logits));
        assertArrayEquals(new int[] {1, 3}, kept(Rows.params(1, 3, 0.9, 0.6, 1), logits));
    }

    @Test
    void combinedFiltersMatchAFullSort() {
        float[] logits = Rows.gaussian(5000, 2.5, 17);
        double[] temperatures = {0.3, 1, 1.7};
        int[] topKs = {0, 40, 5000};
        double[] topPs = {1, 0.9, 0.5};
        double[] minPs = {0, 0.05};
        for (double t : temperatures) {
            for (int k : topKs) {
                for (double p : topPs) {
                    for (double m : minPs) {
                        assertArrayEquals(reference(logits, t, k, p, m), kept(Rows.params(t, k, p, m, 1), logits),
                                "T " + t + " k " + k + " p " + p + " min-p " + m);
                    }
                }
            }
        }
    }

    /** The tokens the sampler kept on one call, in id order. */
    private static int[] kept(SamplingParams params, float[] logits) {
        Sampler s = new Sampler(params);
        MemorySegment row = Rows.row(logits);
        int token = s.sample(row, 0, logits.length);
        Candidates c = s.lastCandidates();
        int[] kept = IntStream.range(0, c.size()).map(c::token).sorted().toArray();
        assertTrue(Arrays.binarySearch(kept, token) >= 0, "sampled token " + token + " was filtered out");
        return kept;
    }

    /** The filters the slow, obvious way: sort the whole vocab, in double. */
    static int[] reference(float[] logits, double temperature, int topK, double topP, double minP) {
        Integer[] order = IntStream.range(0, logits.length).boxed().toArray(Integer[]::new);
        Arrays.sort(order, Comparator.<Integer>comparingDouble(i -> -logits[i]).thenComparingInt(i -> i));
        int n = topK > 0 && topK < logits.length ? topK : logits.length;
        double[] w = new double[n];
        double total = 0;
        for (int i = 0; i < n; i++) {
            w[i] = Math.exp((logits[order[i]] - logits[order[0]]) / temperature);
            total += w[i];
        }
        double cumulative = 0;
        for (int i = 0; i < n && topP < 1; i++) {
            cumulative += w[i];
            if (cumulative >= topP * total) {
                n = i + 1;
                break;
            }
        }
        int cut = 1;
        while (cut < n && w[cut] >= minP) {
            cut++;
        }
        return Arrays.stream(order, 0, cut).mapToInt(Integer::intValue).sorted().toArray();
    }
}
