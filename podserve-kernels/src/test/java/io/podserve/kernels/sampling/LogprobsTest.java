package io.podserve.kernels.sampling;

import java.lang.foreign.MemorySegment;
import java.util.Arrays;
import java.util.OptionalLong;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Logprobs are the log-softmax of the raw logits, whatever temperature and filters the sampler uses. */
class LogprobsTest {
    private static final int VOCAB = 3000;

    @Test
    void matchDirectLogSoftmax() {
        float[] logits = Rows.gaussian(VOCAB, 6, 5);
        logits[123] = 40; // a clear favourite, so the top-1 is known
        double[] direct = logSoftmax(logits);
        Sampler s = sampler(0.7, 5);
        int chosen = s.sample(Rows.row(logits), 0, VOCAB);
        LogprobResult r = s.logprobs(Rows.row(logits), 0, VOCAB, chosen);
        assertEquals(chosen, r.token());
        assertEquals(direct[chosen], r.logprob(), 1e-6);
        assertArrayEquals(FilterTest.reference(logits, 1, 5, 1, 0), sortedCopy(r.topTokens()));
        assertEquals(123, r.topTokens()[0]);
        for (int i = 0; i < 5; i++) {
            assertEquals(direct[r.topTokens()[i]], r.topLogprobs()[i], 1e-6);
            if (i > 0) {
                assertEquals(true, r.topLogprobs()[i] <= r.topLogprobs()[i - 1], "descending");
            }
        }
    }

    @Test
    void ignoreTemperatureAndReadTheRowAtTheOffset() {
        float[] logits = Rows.gaussian(VOCAB, 2, 6);
        MemorySegment batch = Rows.batch(Rows.gaussian(VOCAB, 2, 7), logits);
        LogprobResult hot = sampler(5, 3).logprobs(batch, (long) VOCAB * Float.BYTES, VOCAB, 17);
        LogprobResult cold = sampler(0, 3).logprobs(Rows.row(logits), 0, VOCAB, 17);
        assertEquals(cold, hot);
        assertEquals(logSoftmax(logits)[17], cold.logprob(), 1e-6);
    }

    @Test
    void noneRequestedGivesOnlyTheChosenToken() {
        LogprobResult r = sampler(0, 0).logprobs(Rows.row(0, 0), 0, 2, 1);
        assertEquals(Math.log(0.5), r.logprob(), 1e-12);
        assertEquals(0, r.topTokens().length);
    }

    @Test
    void moreRequestedThanVocabGivesTheWholeVocab() {
        LogprobResult r = sampler(0, 10).logprobs(Rows.row(1, 3, 2), 0, 3, 0);
        assertArrayEquals(new int[] {1, 2, 0}, r.topTokens());
    }

    @Test
    void rejectsATokenOutsideTheVocab() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> sampler(0, 1).logprobs(Rows.row(1, 2), 0, 2, 2));
        assertEquals("token must be in [0, 2), got 2", e.getMessage());
    }

    private static Sampler sampler(double temperature, int numLogprobs) {
        return new Sampler(new SamplingParams(temperature, 0, 1, 0, OptionalLong.of(1), numLogprobs));
    }

    private static double[] logSoftmax(float[] logits) {
        double max = Double.NEGATIVE_INFINITY;
        for (float l : logits) {
            max = Math.max(max, l);
        }
        double sum = 0;
        for (float l : logits) {
            sum += Math.exp(l - max);
        }
        double[] out = new double[logits.length];
        for (int i = 0; i < logits.length; i++) {
            out[i] = logits[i] - max - Math.log(sum);
        }
        return out;
    }

    private static int[] sortedCopy(int[] a) {
        int[] c = a.clone();
        Arrays.sort(c);
        return c;
    }
}
