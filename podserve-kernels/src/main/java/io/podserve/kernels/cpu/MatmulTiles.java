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
 * them whatever its inlining budget does with our own helpers. 4 × 4 keeps 16 accumulators plus
 * 4 weight vectors and one x vector in 21 of AVX-512's 32 registers.
 */
final class MatmulTiles {
    /** Weight rows per panel, and per tile. */
    static final int PANEL_ROWS = 4;
    /** x rows of the wide tile. */
    static final int TILE_BATCH = 4;
    static final long VECTOR_BYTES = F.vectorByteSize();
    /** Bytes of one x row's accumulators: one vector per panel row. */
    static final long ACC_ROW_BYTES = PANEL_ROWS * VECTOR_BYTES;

    private MatmulTiles() {
    }

    /**
     * Adds {@code x[b+j][k0+i] · panel[r][i]} over {@code i < n}, lane-wise, to the accumulators at
     * {@code sums[acc..]} ({@code [j][r]} order), for j, r in 0..3. {@code xAt} is the byte offset
     * of {@code x[b][k0]}, {@code xRow} the bytes between x rows, {@code pRow} between panel rows.
     */
    static void tile4x4(MemorySegment x, long xAt, long xRow, MemorySegment panel, long pAt, long pRow, int n,
            MemorySegment sums, long acc) {
        FloatVector a00 = FloatVector.fromMemorySegment(F, sums, acc + 0 * VECTOR_BYTES, LE), a01 = FloatVector.fromMemorySegment(F, sums, acc + 1 * VECTOR_BYTES, LE);
        FloatVector a02 = FloatVector.fromMemorySegment(F, sums, acc + 2 * VECTOR_BYTES, LE), a03 = FloatVector.fromMemorySegment(F, sums, acc + 3 * VECTOR_BYTES, LE);
        FloatVector a10 = FloatVector.fromMemorySegment(F, sums, acc + 4 * VECTOR_BYTES, LE), a11 = FloatVector.fromMemorySegment(F, sums, acc + 5 * VECTOR_BYTES, LE);
        FloatVector a12 = FloatVector.fromMemorySegment(F, sums, acc + 6 * VECTOR_BYTES, LE), a13 = FloatVector.fromMemorySegment(F, sums, acc + 7 * VECTOR_BYTES, LE);
        FloatVector a20 = FloatVector.fromMemorySegment(F, sums, acc + 8 * VECTOR_BYTES, LE), a21 = FloatVector.fromMemorySegment(F, sums, acc + 9 * VECTOR_BYTES, LE);
        FloatVector a22 = FloatVector.fromMemorySegment(F, sums, acc + 10 * VECTOR_BYTES, LE), a23 = FloatVector.fromMemorySegment(F, sums, acc + 11 * VECTOR_BYTES, LE);
        FloatVector a30 = FloatVector.fromMemorySegment(F, sums, acc + 12 * VECTOR_BYTES, LE), a31 = FloatVector.fromMemorySegment(F, sums, acc + 13 * VECTOR_BYTES, LE);
        FloatVector a32 = FloatVector.fromMemorySegment(F, sums, acc + 14 * VECTOR_BYTES, LE), a33 = FloatVector.fromMemorySegment(F, sums, acc + 15 * VECTOR_BYTES, LE);
        for (int i = 0; i < n; i += LANES) {
            long p = pAt + i * 4L;
            long q = xAt + i * 4L;
            FloatVector v0 = FloatVector.fromMemorySegment(F, panel, p, LE);
            FloatVector v1 = FloatVector.fromMemorySegment(F, panel, p + pRow, LE);
            FloatVector v2 = FloatVector.fromMemorySegment(F, panel, p + 2 * pRow, LE);
            FloatVector v3 = FloatVector.fromMemorySegment(F, panel, p + 3 * pRow, LE);
            FloatVector u = FloatVector.fromMemorySegment(F, x, q, LE);
            a00 = u.fma(v0, a00);
            a01 = u.fma(v1, a01);
            a02 = u.fma(v2, a02);
            a03 = u.fma(v3, a03);
            u = FloatVector.fromMemorySegment(F, x, q + xRow, LE);
            a10 = u.fma(v0, a10);
            a11 = u.fma(v1, a11);
            a12 = u.fma(v2, a12);
            a13 = u.fma(v3, a13);
            u = FloatVector.fromMemorySegment(F, x, q + 2 * xRow, LE);
            a20 = u.fma(v0, a20);
            a21 = u.fma(v1, a21);
            a22 = u.fma(v2, a22);
            a23 = u.fma(v3, a23);
            u = FloatVector.fromMemorySegment(F, x, q + 3 * xRow, LE);
            a30 = u.fma(v0, a30);
            a31 = u.fma(v1, a31);
            a32 = u.fma(v2, a32);
            a33 = u.fma(v3, a33);
        }
        a00.intoMemorySegment(sums, acc + 0 * VECTOR_BYTES, LE);
        a01.intoMemorySegment(sums, acc + 1 * VECTOR_BYTES, LE);
        a02.intoMemorySegment(sums, acc + 2 * VECTOR_BYTES, LE);
        a03.intoMemorySegment(sums, acc + 3 * VECTOR_BYTES, LE);
        a10.intoMemorySegment(sums, acc + 4 * VECTOR_BYTES, LE);
        a11.intoMemorySegment(sums, acc + 5 * VECTOR_BYTES, LE);
        a12.intoMemorySegment(sums, acc + 6 * VECTOR_BYTES, LE);
        a13.intoMemorySegment(sums, acc + 7 * VECTOR_BYTES, LE);
        a20.intoMemorySegment(sums, acc + 8 * VECTOR_BYTES, LE);
        a21.intoMemorySegment(sums, acc + 9 * VECTOR_BYTES, LE);
        a22.intoMemorySegment(sums, acc + 10 * VECTOR_BYTES, LE);
        a23.intoMemorySegment(sums, acc + 11 * VECTOR_BYTES, LE);
        a30.intoMemorySegment(sums, acc + 12 * VECTOR_BYTES, LE);
        a31.intoMemorySegment(sums, acc + 13 * VECTOR_BYTES, LE);
        a32.intoMemorySegment(sums, acc + 14 * VECTOR_BYTES, LE);
        a33.intoMemorySegment(sums, acc + 15 * VECTOR_BYTES, LE);
    }

    /** {@link #tile4x4} for one x row: 4 accumulators, {@code [r]} order. */
    static void tile1x4(MemorySegment x, long xAt, MemorySegment panel, long pAt, long pRow, int n,
            MemorySegment sums, long acc) {
        FloatVector a0 = FloatVector.fromMemorySegment(F, sums, acc, LE), a1 = FloatVector.fromMemorySegment(F, sums, acc + VECTOR_BYTES, LE);
        FloatVector a2 = FloatVector.fromMemorySegment(F, sums, acc + 2 * VECTOR_BYTES, LE), a3 = FloatVector.fromMemorySegment(F, sums, acc + 3 * VECTOR_BYTES, LE);
        for (int i = 0; i < n; i += LANES) {
            long p = pAt + i * 4L;
            FloatVector u = FloatVector.fromMemorySegment(F, x, xAt + i * 4L, LE);
            a0 = u.fma(FloatVector.fromMemorySegment(F, panel, p, LE), a0);
            a1 = u.fma(FloatVector.fromMemorySegment(F, panel, p + pRow, LE), a1);
            a2 = u.fma(FloatVector.fromMemorySegment(F, panel, p + 2 * pRow, LE), a2);
            a3 = u.fma(FloatVector.fromMemorySegment(F, panel, p + 3 * pRow, LE), a3);
        }
        a0.intoMemorySegment(sums, acc, LE);
        a1.intoMemorySegment(sums, acc + VECTOR_BYTES, LE);
        a2.intoMemorySegment(sums, acc + 2 * VECTOR_BYTES, LE);
        a3.intoMemorySegment(sums, acc + 3 * VECTOR_BYTES, LE);
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
