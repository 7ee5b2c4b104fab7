package io.podserve.kernels.cpu;

import java.lang.foreign.MemorySegment;

import io.podserve.kernels.RopeLayout;
import io.podserve.kernels.RopeTable;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorShuffle;

import static io.podserve.kernels.cpu.Simd.F;
import static io.podserve.kernels.cpu.Simd.F32;
import static io.podserve.kernels.cpu.Simd.LANES;
import static io.podserve.kernels.cpu.Simd.LE;

/**
 * Applies rotary embeddings in place to rows of {@code [batch, numHeads, headDim]}: each pair
 * {@code (a, b)} with frequency {@code j} becomes {@code (a·cos − b·sin, b·cos + a·sin)} with
 * cos/sin from the row's position (attention scaling already in the table). Products are rounded
 * before the add, as torch's {@code q * cos + rotate_half(q) * sin} is, so the vector path and the
 * scalar reference are bit-identical. Stateless.
 */
final class RopeKernel {
    private static final int HALF_LANES = LANES / 2;
    /** First half of the lanes: the table values one interleaved vector needs. */
    private static final VectorMask<Float> LOW_HALF = F.indexInRange(0, HALF_LANES);
    /** Lane i ← lane i / 2: spreads half a vector of table values over pairs. */
    private static final VectorShuffle<Float> DUPLICATE = VectorShuffle.fromOp(F, i -> i / 2);
    /** Lane i ← its pair partner. */
    private static final VectorShuffle<Float> SWAP_PAIRS = VectorShuffle.fromOp(F, i -> i ^ 1);
    /** −1 on even lanes: the first of a pair subtracts partner · sin, the second adds it. */
    private static final FloatVector PAIR_SIGNS = FloatVector.fromArray(F, pairSigns(), 0);

    private RopeKernel() {
    }

    static void apply(RopeTable table, RopeLayout layout, MemorySegment x, int batch, int numHeads,
            int[] positions) {
        apply(table, layout, x, 0, batch, numHeads, positions);
    }

    /** {@link #apply} for rows {@code [from, to)} only (x and positions indexed as in the whole call). */
    static void apply(RopeTable table, RopeLayout layout, MemorySegment x, int from, int to, int numHeads,
            int[] positions) {
        int headDim = table.headDim();
        int half = table.rotaryDim() / 2;
        for (int b = from; b < to; b++) {
            long trig = tableRow(table, positions[b]);
            for (int h = 0; h < numHeads; h++) {
                long head = ((long) b * numHeads + h) * headDim * 4;
                if (layout == RopeLayout.HALVES) {
                    halves(table, x, head, trig, half);
                } else {
                    interleaved(table, x, head, trig, half);
                }
            }
        }
    }

    /** Pairs (j, j + half): vectors of cos/sin line up with both halves directly. */
    private static void halves(RopeTable t, MemorySegment x, long head, long trig, int half) {
        MemorySegment cos = t.cos();
        MemorySegment sin = t.sin();
        int j = 0;
        for (int end = F.loopBound(half); j < end; j += LANES) {
            long lo = head + j * 4L;
            long hi = lo + half * 4L;
            FloatVector a = Simd.f32(x, lo);
            FloatVector b = Simd.f32(x, hi);
            FloatVector c = Simd.f32(cos, trig + j * 4L);
            FloatVector s = Simd.f32(sin, trig + j * 4L);
            a.mul(c).sub(b.mul(s)).intoMemorySegment(x, lo, LE);
            b.mul(c).add(a.mul(s)).intoMemorySegment(x, hi, LE);
        }
        for (; j < half; j++) {
            rotate(x, head + j * 4L, head + (j + half) * 4L, cos.get(F32, trig + j * 4L), sin.get(F32, trig + j * 4L));
        }
    }

    /**
     * Pairs (2j, 2j + 1): half a vector of cos/sin per vector of x, each value duplicated over its
     * pair; the partner comes from swapping adjacent lanes.
     */
    private static void interleaved(RopeTable t, MemorySegment x, long head, long trig, int half) {
        MemorySegment cos = t.cos();
        MemorySegment sin = t.sin();
        int j = 0;
        for (; j + HALF_LANES <= half; j += HALF_LANES) {
            long at = head + j * 8L;
            FloatVector v = Simd.f32(x, at);
            FloatVector c = FloatVector.fromMemorySegment(F, cos, trig + j * 4L, LE, LOW_HALF).rearrange(DUPLICATE);
            FloatVector s = FloatVector.fromMemorySegment(F, sin, trig + j * 4L, LE, LOW_HALF).rearrange(DUPLICATE);
            FloatVector partner = v.rearrange(SWAP_PAIRS).mul(PAIR_SIGNS);
            v.mul(c).add(partner.mul(s)).intoMemorySegment(x, at, LE);
        }
        for (; j < half; j++) {
            rotate(x, head + j * 8L, head + j * 8L + 4, cos.get(F32, trig + j * 4L), sin.get(F32, trig + j * 4L));
        }
    }

    static void applyScalar(RopeTable table, RopeLayout layout, MemorySegment x, int batch, int numHeads,
            int[] positions) {
        int headDim = table.headDim();
        int half = table.rotaryDim() / 2;
        for (int b = 0; b < batch; b++) {
            long trig = tableRow(table, positions[b]);
            for (int h = 0; h < numHeads; h++) {
                long head = ((long) b * numHeads + h) * headDim * 4;
                for (int j = 0; j < half; j++) {
                    long first = layout == RopeLayout.HALVES ? head + j * 4L : head + j * 8L;
                    long second = layout == RopeLayout.HALVES ? head + (j + half) * 4L : first + 4;
                    rotate(x, first, second, table.cos().get(F32, trig + j * 4L), table.sin().get(F32, trig + j * 4L));
                }
            }
        }
    }

    private static void rotate(MemorySegment x, long first, long second, float c, float s) {
        float a = x.get(F32, first);
        float b = x.get(F32, second);
        x.set(F32, first, a * c - b * s);
        x.set(F32, second, b * c + a * s);
    }

    private static long tableRow(RopeTable table, int position) {
        if (position < 0 || position >= table.maxPositions()) {
            throw new IndexOutOfBoundsException("position " + position + " outside the rope table's [0, "
                    + table.maxPositions() + ")");
        }
        return (long) position * (table.rotaryDim() / 2) * 4;
    }

    private static float[] pairSigns() {
        float[] signs = new float[LANES];
        for (int i = 0; i < LANES; i++) {
            signs[i] = i % 2 == 0 ? -1f : 1f;
        }
        return signs;
    }
}
