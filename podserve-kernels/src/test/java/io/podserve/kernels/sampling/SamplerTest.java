package io.podserve.kernels.sampling;

import java.lang.foreign.MemorySegment;
import java.util.Arrays;
import java.util.OptionalLong;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Greedy, temperature, reproducibility and the shape of the sampled distribution. */
class SamplerTest {
    private static final double[] PROBS = {0.4, 0.1, 0.3, 0.2};

    @Test
    void greedyTakesArgmaxAndLowestIdOnTies() {
        Sampler s = new Sampler(SamplingParams.greedy());
        assertEquals(1, s.sample(Rows.row(1, 5, 3, 5), 0, 4));
        assertEquals(0, s.sample(Rows.row(2, 2, 2), 0, 3));
        float ninf = Float.NEGATIVE_INFINITY;
        assertEquals(2, s.sample(Rows.row(ninf, -7, -3, ninf), 0, 4));
    }

    @Test
    void readsTheRowAtTheOffset() {
        MemorySegment batch = Rows.batch(new float[] {9, 0, 0}, new float[] {0, 0, 9});
        Sampler s = new Sampler(SamplingParams.greedy());
        assertEquals(0, s.sample(batch, 0, 3));
        assertEquals(2, s.sample(batch, 3 * Float.BYTES, 3));
        assertThrows(IndexOutOfBoundsException.class, () -> s.sample(batch, 4 * Float.BYTES, 3));
    }

    @Test
    void lowTemperatureTendsToGreedy() {
        // Gaps of 0.05 at T = 1e-3 leave the runner-up e^-50 of the mass: never drawn.
        float[] logits = {1.0f, 1.05f, 0.95f, 1.0f, -2f};
        for (SamplingParams p : new SamplingParams[] {Rows.params(1e-3, 0, 1, 0, 7), Rows.params(1e-3, 3, 0.9, 0, 7),
                Rows.params(1e-3, 0, 1, 0.1, 7)}) {
            int[] counts = Rows.histogram(new Sampler(p), Rows.row(logits), 5, 300);
            assertEquals(300, counts[1], p.toString());
        }
    }

    @Test
    void seededSamplerReproducesItsSequenceWhateverTheBatchDoes() {
        float[] logits = Rows.gaussian(500, 2, 11);
        MemorySegment batch = Rows.batch(Rows.gaussian(500, 2, 12), logits);
        Sampler alone = new Sampler(Rows.params(0.8, 0, 0.95, 0, 42));
        SamplingWorkspace shared = new SamplingWorkspace(); // the batch's samplers share their scratch
        Sampler inBatch = new Sampler(Rows.params(0.8, 0, 0.95, 0, 42), shared);
        Sampler neighbour = new Sampler(Rows.params(1.0, 0, 1, 0, 42), shared);
        int[] a = new int[200];
        int[] b = new int[200];
        for (int i = 0; i < a.length; i++) {
            a[i] = alone.sample(Rows.row(logits), 0, 500);
            neighbour.sample(batch, 0, 500);
            neighbour.sample(batch, 0, 500); // the neighbour draws more often: must not matter
            b[i] = inBatch.sample(batch, 500L * Float.BYTES, 500);
        }
        assertArrayEquals(a, b);
        assertTrue(Arrays.stream(a).distinct().count() > 5, "the sequence should vary");
    }

    @Test
    void differentSeedsGiveDifferentSequences() {
        MemorySegment row = Rows.row(Rows.gaussian(500, 1, 3));
        int[] a = Rows.histogram(new Sampler(Rows.params(1, 0, 1, 0, 1)), row, 500, 100);
        int[] b = Rows.histogram(new Sampler(Rows.params(1, 0, 1, 0, 2)), row, 500, 100);
        assertFalse(Arrays.equals(a, b));
        new Sampler(SamplingParams.ofTemperature(1, OptionalLong.empty())).sample(row, 0, 500); // unseeded works
    }

    @Test
    void temperatureOneMatchesTheDistribution() {
        int[] counts = Rows.histogram(new Sampler(Rows.params(1, 0, 1, 0, 2024)), Rows.row(Rows.logitsOf(PROBS)),
                4, 20_000);
        assertFitsDistribution(PROBS, counts);
    }

    @Test
    void temperatureTwoFlattensTheDistribution() {
        // softmax(log p / 2) ∝ sqrt(p)
        double[] expected = new double[PROBS.length];
        double z = 0;
        for (double p : PROBS) {
            z += Math.sqrt(p);
        }
        for (int i = 0; i < PROBS.length; i++) {
            expected[i] = Math.sqrt(PROBS[i]) / z;
        }
        int[] counts = Rows.histogram(new Sampler(Rows.params(2, 0, 1, 0, 99)), Rows.row(Rows.logitsOf(PROBS)),
                4, 20_000);
        assertFitsDistribution(expected, counts);
    }

    @Test
    void filtersThatKeepEverythingStillMatchTheDistribution() {
        // top-k at vocab is off, top-p near 1 and a tiny min-p keep all four: the sorted paths must agree.
        SamplingParams[] all = {Rows.params(1, 4, 1, 0, 5), Rows.params(1, 0, 0.999999, 0, 5),
                Rows.params(1, 3, 1, 0, 5), Rows.params(1, 0, 1, 1e-3, 5)};
        for (SamplingParams p : all) {
            boolean cutsOne = p.topK() == 3;
            double[] expected = cutsOne ? new double[] {0.4 / 0.9, 0, 0.3 / 0.9, 0.2 / 0.9} : PROBS;
            int[] counts = Rows.histogram(new Sampler(p), Rows.row(Rows.logitsOf(PROBS)), 4, 20_000);
            assertFitsDistribution(expected, counts);
        }
    }

    /**
     * Pearson's chi-square against the expected probabilities. With 3 degrees of freedom, 0.1% of
     * fair runs exceed 16.3; the bound of 25 is generous, and the seed makes the run deterministic.
     */
    private static void assertFitsDistribution(double[] expected, int[] counts) {
        int n = Arrays.stream(counts).sum();
        double chi2 = 0;
        for (int i = 0; i < expected.length; i++) {
            if (expected[i] == 0) {
                assertEquals(0, counts[i], "token " + i + " was filtered out");
                continue;
            }
            double e = expected[i] * n;
            chi2 += (counts[i] - e) * (counts[i] - e) / e;
        }
        assertTrue(chi2 < 25, "chi-square " + chi2 + " for counts " + Arrays.toString(counts));
    }
}
