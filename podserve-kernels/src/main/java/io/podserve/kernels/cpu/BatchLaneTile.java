package io.podserve.kernels.cpu;

import java.lang.foreign.MemorySegment;

import jdk.incubator.vector.FloatVector;

import static io.podserve.kernels.cpu.Simd.F;
import static io.podserve.kernels.cpu.Simd.F32;
import static io.podserve.kernels.cpu.Simd.LANES;
import static io.podserve.kernels.cpu.Simd.LE;

/**
 * The register tile of the many-row matmul path: {@link #X_ROWS} x rows × {@link #W_ROWS} weight
 * rows, with vector lanes running along the <em>batch</em>. x comes transposed ({@link BatchLanes}:
 * per k, the tile's x rows side by side), the weights from the f32 panel that {@link PanelDecode}
 * fills; per k each weight is broadcast from the panel and multiplied into the two x vectors. Each
 * accumulator lane is then one finished output {@code y[b][o]} partial sum: no horizontal sums.
 *
 * <p>NOTE: 16 accumulators, 2 x loads and 8 broadcast loads per 16 FMAs, like the 2 × 8 tile of
 * {@link MatmulTiles}, but no 16-lane reduction per output afterwards and the broadcasts come from
 * the L1 panel: 1.45-1.55× its GFLOP/s on one 2-core-machine thread (bf16 8192 × 2048, batch 32 and
 * 64). A 2 × 12 tile (24 accumulators, 1.7× under C2 alone) does not get there: C1 runs out of
 * virtual registers compiling it at tier 3 and the method stays in tier-2 code at about 1 GFLOP/s.
 * The panel is a float[] for the same reason (scalar segment reads also overflowed C1). Like
 * {@link MatmulTiles}, only the JDK's force-inlined vector methods are called here and no vector
 * crosses the method boundary, so C2 intrinsifies it as a whole.
 */
final class BatchLaneTile {
    /** x rows per tile: two vectors of batch lanes. */
    static final int X_ROWS = 2 * LANES;
    /** Weight rows per tile (and per panel of this path). */
    static final int W_ROWS = 8;
    static final long VECTOR_BYTES = F.vectorByteSize();
    /** Bytes of one tile's accumulators, {@code [v][r]} order (v: which x vector, r: weight row). */
    static final long ACC_BYTES = 2L * W_ROWS * VECTOR_BYTES;
    /**
     * Floats from one panel row to the next (and the most k one call takes). NOTE: a constant, not a
     * parameter: C2 then folds each row's offset into its broadcast's address, where a runtime stride took
     * an add per row per k and two stack reloads (register pressure); the tile alone ran 163-165 against
     * 177-181 GFLOP/s on one 2-core-machine thread (FusedLaneProbe, commit a5ff807).
     */
    static final int P_ROW = 256;
    /** Bytes from one k to the next in the transposed x. */
    static final long XT_K_BYTES = X_ROWS * 4L;

    private BatchLaneTile() {
    }

    /**
     * Adds {@code xt[k][j] · panel[r][k]} over {@code k < n} to the accumulators at {@code sums[acc..]},
     * for the tile's x lanes j and weight rows {@code r < W_ROWS}. {@code xtAt} is the byte offset of
     * the tile's first k in {@code xt}, {@code pAt} the index of {@code panel[0][first k]}; panel rows are
     * {@link #P_ROW} floats apart, and {@code n <= P_ROW}.
     */
    static void tile(MemorySegment xt, long xtAt, float[] panel, int pAt, int n,
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
        for (int k = 0; k < n; k++) {
            long u = xtAt + k * XT_K_BYTES;
            int p = pAt + k;
            FloatVector u0 = FloatVector.fromMemorySegment(F, xt, u, LE);
            FloatVector u1 = FloatVector.fromMemorySegment(F, xt, u + VECTOR_BYTES, LE);
            FloatVector v = FloatVector.broadcast(F, panel[p]);
            a00 = u0.fma(v, a00);
            a10 = u1.fma(v, a10);
            v = FloatVector.broadcast(F, panel[p + P_ROW]);
            a01 = u0.fma(v, a01);
            a11 = u1.fma(v, a11);
            v = FloatVector.broadcast(F, panel[p + 2 * P_ROW]);
            a02 = u0.fma(v, a02);
            a12 = u1.fma(v, a12);
            v = FloatVector.broadcast(F, panel[p + 3 * P_ROW]);
            a03 = u0.fma(v, a03);
            a13 = u1.fma(v, a13);
            v = FloatVector.broadcast(F, panel[p + 4 * P_ROW]);
            a04 = u0.fma(v, a04);
            a14 = u1.fma(v, a14);
            v = FloatVector.broadcast(F, panel[p + 5 * P_ROW]);
            a05 = u0.fma(v, a05);
            a15 = u1.fma(v, a15);
            v = FloatVector.broadcast(F, panel[p + 6 * P_ROW]);
            a06 = u0.fma(v, a06);
            a16 = u1.fma(v, a16);
            v = FloatVector.broadcast(F, panel[p + 7 * P_ROW]);
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

    /**
     * {@link #tile} for a tile whose x rows past the first {@link Simd#LANES} are all padding (the last
     * tile of a batch with at most LANES rows past a multiple of {@link #X_ROWS}): only the first x
     * vector and its 8 accumulators. NOTE: MoE experts in a 512-token prefill see about 32 rows each,
     * so half of them had a second tile that was mostly zero lanes: 1.5× their FLOPs.
     */
    static void tileHalf(MemorySegment xt, long xtAt, float[] panel, int pAt, int n,
            MemorySegment sums, long acc) {
        FloatVector a00 = FloatVector.fromMemorySegment(F, sums, acc + 0 * VECTOR_BYTES, LE);
        FloatVector a01 = FloatVector.fromMemorySegment(F, sums, acc + 1 * VECTOR_BYTES, LE);
        FloatVector a02 = FloatVector.fromMemorySegment(F, sums, acc + 2 * VECTOR_BYTES, LE);
        FloatVector a03 = FloatVector.fromMemorySegment(F, sums, acc + 3 * VECTOR_BYTES, LE);
        FloatVector a04 = FloatVector.fromMemorySegment(F, sums, acc + 4 * VECTOR_BYTES, LE);
        FloatVector a05 = FloatVector.fromMemorySegment(F, sums, acc + 5 * VECTOR_BYTES, LE);
        FloatVector a06 = FloatVector.fromMemorySegment(F, sums, acc + 6 * VECTOR_BYTES, LE);
        FloatVector a07 = FloatVector.fromMemorySegment(F, sums, acc + 7 * VECTOR_BYTES, LE);
        for (int k = 0; k < n; k++) {
            int p = pAt + k;
            FloatVector u0 = FloatVector.fromMemorySegment(F, xt, xtAt + k * XT_K_BYTES, LE);
            a00 = u0.fma(FloatVector.broadcast(F, panel[p]), a00);
            a01 = u0.fma(FloatVector.broadcast(F, panel[p + P_ROW]), a01);
            a02 = u0.fma(FloatVector.broadcast(F, panel[p + 2 * P_ROW]), a02);
            a03 = u0.fma(FloatVector.broadcast(F, panel[p + 3 * P_ROW]), a03);
            a04 = u0.fma(FloatVector.broadcast(F, panel[p + 4 * P_ROW]), a04);
            a05 = u0.fma(FloatVector.broadcast(F, panel[p + 5 * P_ROW]), a05);
            a06 = u0.fma(FloatVector.broadcast(F, panel[p + 6 * P_ROW]), a06);
            a07 = u0.fma(FloatVector.broadcast(F, panel[p + 7 * P_ROW]), a07);
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

    /** Floats of {@link #flush}'s staging area: a whole tile's x rows by a whole block of outputs. */
    static final int STAGE_FLOATS = X_ROWS * MatmulKernel.LANE_BLOCK_ROWS;

    /**
     * Writes the accumulators of one tile to {@code y[b + j][o + i]} for its lanes {@code j < numX} and
     * weight rows {@code i < numRows} (at most {@link #STAGE_FLOATS} / X_ROWS): row i's accumulators belong to
     * group {@code i / W_ROWS}, whose tile accumulators start {@code groupBytes} after the previous group's, the
     * first at {@code sums[acc..]} (lanes past numX are zero-padded x rows, rows past numRows zero panel rows).
     * NOTE: transposed through {@code stage[stageAt..]} (in L1) and written to y a vector at a time: written
     * straight from the lanes, each y row took a scalar store per output, and those stores, to 32 rows of y
     * outside the caches, filled the store buffer: a 512-row matmul spent 17% of its time here (LaneProbe,
     * bf16 5120 × 2048, one 2-core-machine thread: 78-83 ms, 66 without any writes; staged, 72-74).
     */
    static void flush(MemorySegment sums, long acc, long groupBytes, MemorySegment y, int out, int b, int numX,
            int o, int numRows, float[] stage, int stageAt) {
        for (int j = 0; j < numX; j++) {
            long lane = acc + (j / LANES) * W_ROWS * VECTOR_BYTES + (j % LANES) * 4L;
            int row = stageAt + j * numRows;
            for (int g = 0; g * W_ROWS < numRows; g++) { // loops with affine offsets: C2 hoists the bounds checks
                long from = lane + g * groupBytes;
                int to = row + g * W_ROWS;
                int rows = Math.min(W_ROWS, numRows - g * W_ROWS);
                for (int r = 0; r < rows; r++) {
                    stage[to + r] = sums.get(F32, from + r * VECTOR_BYTES);
                }
            }
        }
        for (int j = 0; j < numX; j++) {
            long yRow = ((long) (b + j) * out + o) * 4;
            int row = stageAt + j * numRows;
            int i = 0;
            for (; i + LANES <= numRows; i += LANES) {
                FloatVector.fromArray(F, stage, row + i).intoMemorySegment(y, yRow + i * 4L, LE);
            }
            for (; i < numRows; i++) {
                y.set(F32, yRow + i * 4L, stage[row + i]);
            }
        }
    }
}
