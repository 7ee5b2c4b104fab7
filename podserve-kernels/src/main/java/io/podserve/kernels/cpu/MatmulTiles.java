package io.podserve.kernels.cpu;

import java.lang.foreign.MemorySegment;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;

import static io.podserve.kernels.cpu.Simd.F;
import static io.podserve.kernels.cpu.Simd.LANES;
import static io.podserve.kernels.cpu.Simd.LE;

/**
 * The register tiles of the matmul, all f32: x rows against {@link #PANEL_ROWS} weight rows that
 * {@link PanelDecode} has widened into the thread's panel. Each tile keeps one accumulator vector
 * per (x row, weight row) pair in registers, picks them up from and leaves them in the thread's
 * accumulator area (so a dot product spans several panels), and {@link #flush} reduces them once
 * the whole row is done.
 *
 * <p>NOTE: the tiles call only the JDK's force-inlined vector methods ({@code fromMemorySegment},
 * {@code fma}, {@code intoMemorySegment}) and no vector enters or leaves them, so C2 intrinsifies
 * them whatever its inlining budget does with our own helpers.
 *
 * <p>NOTE: 2 × 8, not 4 × 4: both keep 16 accumulators in registers, but the panel sits in L1
 * while x rows stream from L2, and each x vector now feeds 8 FMAs instead of 4, halving the L2
 * traffic that bounded 4 × 4 (JMH numbers in the commit).
 */
final class MatmulTiles {
    /** Weight rows per panel, and per tile. */
    static final int PANEL_ROWS = 8;
    /**
     * Floats from one panel row to the next: the largest k-block ({@link MatmulKernel#K_BLOCK_FEW}); a smaller
     * block leaves the end of each row unused. NOTE: a constant for the reason of {@link BatchLaneTile#P_ROW}:
     * each row's load folds its offset into the address.
     */
    static final int P_ROW = MatmulKernel.K_BLOCK_FEW;
    /** x rows of the wide tile. */
    static final int TILE_BATCH = 2;
    static final long VECTOR_BYTES = F.vectorByteSize();
    /** Bytes of one x row's accumulators: one vector per panel row. */
    static final long ACC_ROW_BYTES = PANEL_ROWS * VECTOR_BYTES;

    private MatmulTiles() {
    }

    /**
     * Adds {@code x[b+j][k0+i] · panel[r][i]} over {@code i < n}, lane-wise, to the accumulators at
     * {@code sums[acc..]} ({@code [j][r]} order), for j in 0..1 and r in 0..7. {@code xAt} is the
     * byte offset of {@code x[b][k0]}, {@code xRow} the bytes between x rows; {@code pAt} the index of
     * {@code panel[0][0]}; panel rows are {@link #P_ROW} floats apart.
     */
    static void tile2x8(MemorySegment x, long xAt, long xRow, float[] panel, int pAt, int n,
            MemorySegment sums, long acc) {
        FloatVector a00 = FloatVector.fromMemorySegment(F, sums, acc + 0 * VECTOR_BYTES, LE);
        FloatVector a01 = FloatVector.fromMemorySegment(F, sums, acc + 1 * VECTOR_BYTES, LE);
        FloatVector a02 = FloatVector.fromMemorySegment(F, sums, acc + 2 * VECTOR_BYTES, LE);
        FloatVector a03 = FloatVector.fromMemorySegment(F, sums, acc + 3 * VECTOR_BYTES, LE);
        FloatVector a04 = FloatVector.fromMemorySegment(F, sums, acc + 4 * VECTOR_BYTES, LE);
        FloatVector a05 = FloatVector.fromMemorySegment(F, sums, acc + 5 * VECTOR_BYTES, LE);
        FloatVector a06 = FloatVector.fromMemorySegment(F, sums, acc + 6 * VECTOR_BYTES, LE);
        FloatVector a07 = FloatVector.fromMemorySegment(F, sums, acc + 7 * VECTOR_BYTES, LE);
        FloatVector a10 = FloatVector.fromMemorySegment(F, sums, acc + 8 * VECTOR_BYTES, LE);
        FloatVector a11 = FloatVector.fromMemorySegment(F, sums, acc + 9 * VECTOR_BYTES, LE);
        FloatVector a12 = FloatVector.fromMemorySegment(F, sums, acc + 10 * VECTOR_BYTES, LE);
        FloatVector a13 = FloatVector.fromMemorySegment(F, sums, acc + 11 * VECTOR_BYTES, LE);
        FloatVector a14 = FloatVector.fromMemorySegment(F, sums, acc + 12 * VECTOR_BYTES, LE);
        FloatVector a15 = FloatVector.fromMemorySegment(F, sums, acc + 13 * VECTOR_BYTES, LE);
        FloatVector a16 = FloatVector.fromMemorySegment(F, sums, acc + 14 * VECTOR_BYTES, LE);
        FloatVector a17 = FloatVector.fromMemorySegment(F, sums, acc + 15 * VECTOR_BYTES, LE);
        for (int i = 0; i < n; i += LANES) {
            int p = pAt + i;
            FloatVector u0 = FloatVector.fromMemorySegment(F, x, xAt + i * 4L, LE);
            FloatVector u1 = FloatVector.fromMemorySegment(F, x, xAt + xRow + i * 4L, LE);
            FloatVector v = FloatVector.fromArray(F, panel, p);
            a00 = u0.fma(v, a00);
            a10 = u1.fma(v, a10);
            v = FloatVector.fromArray(F, panel, p + P_ROW);
            a01 = u0.fma(v, a01);
            a11 = u1.fma(v, a11);
            v = FloatVector.fromArray(F, panel, p + 2 * P_ROW);
            a02 = u0.fma(v, a02);
            a12 = u1.fma(v, a12);
            v = FloatVector.fromArray(F, panel, p + 3 * P_ROW);
            a03 = u0.fma(v, a03);
            a13 = u1.fma(v, a13);
            v = FloatVector.fromArray(F, panel, p + 4 * P_ROW);
            a04 = u0.fma(v, a04);
            a14 = u1.fma(v, a14);
            v = FloatVector.fromArray(F, panel, p + 5 * P_ROW);
            a05 = u0.fma(v, a05);
            a15 = u1.fma(v, a15);
            v = FloatVector.fromArray(F, panel, p + 6 * P_ROW);
            a06 = u0.fma(v, a06);
            a16 = u1.fma(v, a16);
            v = FloatVector.fromArray(F, panel, p + 7 * P_ROW);
            a07 = u0.fma(v, a07);
            a17 = u1.fma(v, a17);
        }
        a00.intoMemorySegment(sums, acc + 0 * VECTOR_BYTES, LE);
        a01.intoMemorySegment(sums, acc + 1 * VECTOR_BYTES, LE);
        a02.intoMemorySegment(sums, acc + 2 * VECTOR_BYTES, LE);
        a03.intoMemorySegment(sums, acc + 3 * VECTOR_BYTES, LE);
        a04.intoMemorySegment(sums, acc + 4 * VECTOR_BYTES, LE);
        a05.intoMemorySegment(sums, acc + 5 * VECTOR_BYTES, LE);
        a06.intoMemorySegment(sums, acc + 6 * VECTOR_BYTES, LE);
        a07.intoMemorySegment(sums, acc + 7 * VECTOR_BYTES, LE);
        a10.intoMemorySegment(sums, acc + 8 * VECTOR_BYTES, LE);
        a11.intoMemorySegment(sums, acc + 9 * VECTOR_BYTES, LE);
        a12.intoMemorySegment(sums, acc + 10 * VECTOR_BYTES, LE);
        a13.intoMemorySegment(sums, acc + 11 * VECTOR_BYTES, LE);
        a14.intoMemorySegment(sums, acc + 12 * VECTOR_BYTES, LE);
        a15.intoMemorySegment(sums, acc + 13 * VECTOR_BYTES, LE);
        a16.intoMemorySegment(sums, acc + 14 * VECTOR_BYTES, LE);
        a17.intoMemorySegment(sums, acc + 15 * VECTOR_BYTES, LE);
    }

    /** {@link #tile2x8} for one x row: 8 accumulators, {@code [r]} order. */
    static void tile1x8(MemorySegment x, long xAt, float[] panel, int pAt, int n,
            MemorySegment sums, long acc) {
        FloatVector a00 = FloatVector.fromMemorySegment(F, sums, acc + 0 * VECTOR_BYTES, LE);
        FloatVector a01 = FloatVector.fromMemorySegment(F, sums, acc + 1 * VECTOR_BYTES, LE);
        FloatVector a02 = FloatVector.fromMemorySegment(F, sums, acc + 2 * VECTOR_BYTES, LE);
        FloatVector a03 = FloatVector.fromMemorySegment(F, sums, acc + 3 * VECTOR_BYTES, LE);
        FloatVector a04 = FloatVector.fromMemorySegment(F, sums, acc + 4 * VECTOR_BYTES, LE);
        FloatVector a05 = FloatVector.fromMemorySegment(F, sums, acc + 5 * VECTOR_BYTES, LE);
        FloatVector a06 = FloatVector.fromMemorySegment(F, sums, acc + 6 * VECTOR_BYTES, LE);
        FloatVector a07 = FloatVector.fromMemorySegment(F, sums, acc + 7 * VECTOR_BYTES, LE);
        for (int i = 0; i < n; i += LANES) {
            int p = pAt + i;
            FloatVector u0 = FloatVector.fromMemorySegment(F, x, xAt + i * 4L, LE);
            FloatVector v = FloatVector.fromArray(F, panel, p);
            a00 = u0.fma(v, a00);
            v = FloatVector.fromArray(F, panel, p + P_ROW);
            a01 = u0.fma(v, a01);
            v = FloatVector.fromArray(F, panel, p + 2 * P_ROW);
            a02 = u0.fma(v, a02);
            v = FloatVector.fromArray(F, panel, p + 3 * P_ROW);
            a03 = u0.fma(v, a03);
            v = FloatVector.fromArray(F, panel, p + 4 * P_ROW);
            a04 = u0.fma(v, a04);
            v = FloatVector.fromArray(F, panel, p + 5 * P_ROW);
            a05 = u0.fma(v, a05);
            v = FloatVector.fromArray(F, panel, p + 6 * P_ROW);
            a06 = u0.fma(v, a06);
            v = FloatVector.fromArray(F, panel, p + 7 * P_ROW);
            a07 = u0.fma(v, a07);
        }
        a00.intoMemorySegment(sums, acc + 0 * VECTOR_BYTES, LE);
        a01.intoMemorySegment(sums, acc + 1 * VECTOR_BYTES, LE);
        a02.intoMemorySegment(sums, acc + 2 * VECTOR_BYTES, LE);
        a03.intoMemorySegment(sums, acc + 3 * VECTOR_BYTES, LE);
        a04.intoMemorySegment(sums, acc + 4 * VECTOR_BYTES, LE);
        a05.intoMemorySegment(sums, acc + 5 * VECTOR_BYTES, LE);
        a06.intoMemorySegment(sums, acc + 6 * VECTOR_BYTES, LE);
        a07.intoMemorySegment(sums, acc + 7 * VECTOR_BYTES, LE);
    }

    /** Zeroes the accumulators of {@code rows} x rows at {@code sums[acc..]}. */
    static void clear(MemorySegment sums, long acc, int rows) {
        for (long at = acc; at < acc + rows * ACC_ROW_BYTES; at += VECTOR_BYTES) {
            FloatVector.zero(F).intoMemorySegment(sums, at, LE);
        }
    }

    /**
     * Reduces the accumulators of x rows {@code [b, b + numX)}, {@code [j][PANEL_ROWS]} vectors from
     * {@code sums[0]}, and writes each lane sum to {@code y[b + j][o + r]} for {@code r < numW}
     * (panel rows past {@code numW} are padding).
     */
    static void flush(MemorySegment sums, MemorySegment y, int out, int b, int numX, int o, int numW) {
        for (int j = 0; j < numX; j++) {
            for (int r = 0; r < numW; r++) {
                float sum = FloatVector.fromMemorySegment(F, sums, j * ACC_ROW_BYTES + r * VECTOR_BYTES, LE)
                        .reduceLanes(VectorOperators.ADD);
                y.set(Simd.F32, ((long) (b + j) * out + o + r) * 4, sum);
            }
        }
    }
}
