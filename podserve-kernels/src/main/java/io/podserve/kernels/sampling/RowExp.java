package io.podserve.kernels.sampling;

import java.lang.foreign.MemorySegment;
import java.nio.ByteOrder;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The whole-row passes of sampling, on the Vector API: the max, and {@code exp((x - max) · scale)}.
 * NOTE: a scalar {@code Math.exp} over a 150k vocab costs about a millisecond per token; the vector
 * exp is several times faster and within an ulp or so, far below what sampling can notice.
 */
final class RowExp {
    private static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;
    private static final ByteOrder LE = ByteOrder.LITTLE_ENDIAN;

    private RowExp() {
    }

    static float max(MemorySegment logits, long offset, int vocab) {
        int end = F.loopBound(vocab);
        FloatVector maxes = FloatVector.broadcast(F, Float.NEGATIVE_INFINITY);
        int i = 0;
        for (; i < end; i += F.length()) {
            maxes = maxes.max(load(logits, offset, i));
        }
        float max = maxes.reduceLanes(VectorOperators.MAX);
        for (; i < vocab; i++) {
            max = Math.max(max, LogitRow.get(logits, offset, i));
        }
        return max;
    }

    /**
     * Writes {@code exp((x - max) · scale)} per token into {@code out} (if not null); returns the sum.
     * Each vector's lanes are reduced into a double, so the sum over a large vocab keeps its digits.
     */
    static double exp(MemorySegment logits, long offset, int vocab, float max, float scale, float[] out) {
        int end = F.loopBound(vocab);
        double sum = 0;
        int i = 0;
        for (; i < end; i += F.length()) {
            FloatVector e = load(logits, offset, i).sub(max).mul(scale).lanewise(VectorOperators.EXP);
            if (out != null) {
                e.intoArray(out, i);
            }
            sum += e.reduceLanes(VectorOperators.ADD);
        }
        for (; i < vocab; i++) {
            float e = (float) Math.exp((LogitRow.get(logits, offset, i) - max) * scale);
            if (out != null) {
                out[i] = e;
            }
            sum += e;
        }
        return sum;
    }

    /** True when any of the vector of logits starting at token {@code i} is above {@code floor}. */
    static boolean anyAbove(MemorySegment logits, long offset, int i, float floor) {
        return load(logits, offset, i).compare(VectorOperators.GT, floor).anyTrue();
    }

    static int lanes() {
        return F.length();
    }

    private static FloatVector load(MemorySegment logits, long offset, int i) {
        return FloatVector.fromMemorySegment(F, logits, offset + (long) i * Float.BYTES, LE);
    }
}
