package io.podserve.kernels.sampling;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.OptionalLong;
import java.util.SplittableRandom;

/** Test helpers: logit rows in off-heap segments, and distributions turned into logits. */
final class Rows {
    private Rows() {
    }

    /** A {@code [rows.length, vocab]} segment in the auto arena, rows back to back. */
    static MemorySegment batch(float[]... rows) {
        int vocab = rows[0].length;
        MemorySegment s = Arena.ofAuto().allocate((long) rows.length * vocab * Float.BYTES);
        for (int r = 0; r < rows.length; r++) {
            for (int i = 0; i < vocab; i++) {
                s.set(LogitRow.LAYOUT, ((long) r * vocab + i) * Float.BYTES, rows[r][i]);
            }
        }
        return s;
    }

    static MemorySegment row(float... logits) {
        return batch(logits);
    }

    /** Logits whose softmax is {@code probs}, shifted by a constant to show that shifts do not matter. */
    static float[] logitsOf(double... probs) {
        float[] l = new float[probs.length];
        for (int i = 0; i < probs.length; i++) {
            l[i] = (float) (Math.log(probs[i]) + 3.5);
        }
        return l;
    }

    static float[] gaussian(int vocab, double scale, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] l = new float[vocab];
        for (int i = 0; i < vocab; i++) {
            l[i] = (float) (r.nextGaussian() * scale);
        }
        return l;
    }

    static SamplingParams params(double temperature, int topK, double topP, double minP, long seed) {
        return new SamplingParams(temperature, topK, topP, minP, OptionalLong.of(seed), 0);
    }

    /** Draw counts per token for {@code draws} samples from {@code row}. */
    static int[] histogram(Sampler s, MemorySegment row, int vocab, int draws) {
        int[] counts = new int[vocab];
        for (int i = 0; i < draws; i++) {
            counts[s.sample(row, 0, vocab)]++;
        }
        return counts;
    }
}
