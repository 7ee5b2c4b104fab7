package io.podserve.kernels.cpu;

import java.lang.foreign.MemorySegment;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorShuffle;

import static io.podserve.kernels.cpu.Simd.F;
import static io.podserve.kernels.cpu.Simd.LANES;
import static io.podserve.kernels.cpu.Simd.LE;

/**
 * The x layout that the bf16 and q8 4 × 4 and 4 × 2 fused dots ({@link PanelDecode#dot4x4}, {@link PanelDecode#dot4x2})
 * read: each x row's vector part in blocks of {@link #BLOCK} elements, each block's even elements first, then its odd ones. NOTE: so
 * that one 512-bit load of {@link #BLOCK} bf16 weights widens to two f32 vectors with one shift (the even
 * elements, whose bits are the low halves) and one mask (the odd ones) and no lane shuffle: the
 * per-16-element widening (a sign-extending shuffle and a shift) had bounded the dot with several x rows,
 * which re-widens every weight vector once per 2 x rows (bf16 4096 × 2048 at 8 x rows, one 2-core-machine
 * thread: 53-58 against 66-74 GFLOP/s). The products are the same; only their order of addition differs.
 *
 * <p>NOTE: a float[], not a segment: the dot's x loads from an array measured 15-20% faster in the same
 * one-thread harness (62-64 against 73-75 GFLOP/s at 8 x rows), the weights being the only segment left in
 * its loop; on both threads with the weights from DRAM ({@code FewRows 700}) 2-5% at 3-8 rows.
 */
final class PairLanes {
    /** Elements per block: one vector of even elements and one of odd ones. */
    static final int BLOCK = 2 * LANES;
    private static final VectorShuffle<Float> EVEN = pick(0);
    private static final VectorShuffle<Float> ODD = pick(1);

    private PairLanes() {
    }

    /** Floats of a {@code batch}-row x over {@code kv} elements in this layout. */
    static long floats(int batch, int kv) {
        return (long) batch * kv;
    }

    /**
     * Writes row {@code row} of x ({@code [batch, in]} f32), over its first {@code kv} elements (a multiple
     * of {@link #BLOCK}), at {@code dst[dstAt + row · kv..]} in this layout: per block, two loads and two
     * two-vector permutes (2.5× the scalar copy on one 2-core-machine thread).
     */
    static void deinterleave(MemorySegment x, int in, int row, int kv, float[] dst, int dstAt) {
        long src = (long) row * in * Float.BYTES;
        int out = dstAt + row * kv;
        long half = F.vectorByteSize();
        for (int b = 0; b < kv; b += BLOCK) {
            FloatVector first = FloatVector.fromMemorySegment(F, x, src + b * 4L, LE);
            FloatVector second = FloatVector.fromMemorySegment(F, x, src + b * 4L + half, LE);
            first.rearrange(EVEN, second).intoArray(dst, out + b);
            first.rearrange(ODD, second).intoArray(dst, out + b + LANES);
        }
    }

    /**
     * Picks the even (or odd) elements of a block held in two vectors: lane j takes element 2j (2j + 1) of the
     * block; indices past the first vector are written as exceptional (negative), which
     * {@code rearrange(shuffle, second)} takes from the second vector.
     */
    private static VectorShuffle<Float> pick(int parity) {
        int[] lanes = new int[LANES];
        for (int j = 0; j < LANES; j++) {
            int element = 2 * j + parity;
            lanes[j] = element < LANES ? element : element - 2 * LANES;
        }
        return VectorShuffle.fromValues(F, lanes);
    }
}
