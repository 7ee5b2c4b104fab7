package io.podserve.kernels.cpu;

import java.lang.foreign.MemorySegment;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorShuffle;

import static io.podserve.kernels.cpu.Simd.F;
import static io.podserve.kernels.cpu.Simd.F32;
import static io.podserve.kernels.cpu.Simd.LANES;
import static io.podserve.kernels.cpu.Simd.LE;

/**
 * The transposed x that {@link BatchLaneTile} reads: x rows in tiles of {@link BatchLaneTile#X_ROWS},
 * each tile {@code [k][X_ROWS]} over the vector part of the row ({@code k < kv}), rows past the batch
 * zero. Tile t of a matmul starts {@code t · kv · XT_K_BYTES} bytes after its first.
 *
 * <p>NOTE: x is transposed once per matmul call (in parallel, a piece of a tile per chunk), not per row chunk: a
 * chunk's 96 weight rows use each x element 96 times, 6 vector FMAs' worth, against about 2
 * operations to move it; shared by every chunk it costs nothing next to the matmul.
 */
final class BatchLanes {
    private BatchLanes() {
    }

    static int tiles(int batch) {
        return Math.ceilDiv(batch, BatchLaneTile.X_ROWS);
    }

    /** Bytes of one tile over {@code kv} elements. */
    static long tileBytes(int kv) {
        return kv * BatchLaneTile.XT_K_BYTES;
    }

    /** Bytes of the whole transposed x of a {@code batch}-row matmul over {@code kv} elements. */
    static long bytes(int batch, int kv) {
        return tiles(batch) * tileBytes(kv);
    }

    /** k elements per chunk of the transpose pass: a 32-row batch still spreads over several cores. */
    static final int PIECE_K = 256;

    /** Chunks of the transpose pass for one tile of a matmul over {@code kv} elements. */
    static int pieces(int kv) {
        return Math.ceilDiv(kv, PIECE_K);
    }

    /** Floats of {@link #transpose}'s scratch: one {@code LANES × LANES} block. */
    static final int SCRATCH_FLOATS = LANES * LANES;
    // Stage s of the block transpose swaps the off-diagonal s × s blocks of each 2s × 2s block: row r (with bit s
    // clear) keeps its lanes without bit s and takes row r + s's lanes c - s into those with it (LO); row r + s
    // takes row r's lanes c + s into those without bit s and keeps the rest (HI). Indices past the first
    // vector are exceptional (negative): rearrange(shuffle, second) takes them from the second vector.
    private static final VectorShuffle<Float> LO8 = stageShuffle(8, false), HI8 = stageShuffle(8, true);
    private static final VectorShuffle<Float> LO4 = stageShuffle(4, false), HI4 = stageShuffle(4, true);
    private static final VectorShuffle<Float> LO2 = stageShuffle(2, false), HI2 = stageShuffle(2, true);
    private static final VectorShuffle<Float> LO1 = stageShuffle(1, false), HI1 = stageShuffle(1, true);

    /**
     * Writes piece {@code piece} ({@code k} in {@code [piece · PIECE_K, ..)}, below kv) of tile
     * {@code t} of x ({@code [batch, in]} f32), transposed, at {@code xt[xtAt + t · tileBytes(kv)..]}; {@code block}
     * is scratch of {@link #SCRATCH_FLOATS}. NOTE: with 16 lanes, by 16 × 16 blocks transposed in four stages of
     * two-vector permutes (in L1): the scalar copy cost about 7 cycles an element, 5% of a 512-token prefill.
     */
    static void transpose(MemorySegment x, int in, int batch, int kv, int t, int piece, MemorySegment xt, long xtAt,
            float[] block) {
        long tileAt = xtAt + t * tileBytes(kv);
        int k0 = piece * PIECE_K;
        int k1 = Math.min(kv, k0 + PIECE_K);
        if (LANES != 16) {
            transposeScalar(x, in, batch, t, k0, k1, xt, tileAt);
            return;
        }
        for (int j0 = 0; j0 < BatchLaneTile.X_ROWS; j0 += LANES) {
            int b0 = t * BatchLaneTile.X_ROWS + j0;
            for (int k = k0; k < k1; k += LANES) { // kv is a multiple of STEP, so of LANES
                for (int j = 0; j < LANES; j++) {
                    FloatVector row = b0 + j < batch
                            ? FloatVector.fromMemorySegment(F, x, ((long) (b0 + j) * in + k) * 4, LE)
                            : FloatVector.zero(F);
                    row.intoArray(block, j * LANES);
                }
                stage(block, 8, LO8, HI8);
                stage(block, 4, LO4, HI4);
                stage(block, 2, LO2, HI2);
                stage(block, 1, LO1, HI1);
                for (int i = 0; i < LANES; i++) {
                    FloatVector.fromArray(F, block, i * LANES)
                            .intoMemorySegment(xt, tileAt + (k + i) * BatchLaneTile.XT_K_BYTES + j0 * 4L, LE);
                }
            }
        }
    }

    /** One stage of the block transpose, over the pairs of rows {@code s} apart. */
    private static void stage(float[] block, int s, VectorShuffle<Float> lo, VectorShuffle<Float> hi) {
        for (int r = 0; r < LANES; r++) {
            if ((r & s) == 0) {
                FloatVector a = FloatVector.fromArray(F, block, r * LANES);
                FloatVector b = FloatVector.fromArray(F, block, (r + s) * LANES);
                a.rearrange(lo, b).intoArray(block, r * LANES);
                a.rearrange(hi, b).intoArray(block, (r + s) * LANES);
            }
        }
    }

    /** The LO (or HI) permute of {@link #stage}: see the comment at the shuffles' declaration. */
    private static VectorShuffle<Float> stageShuffle(int s, boolean high) {
        int[] lanes = new int[LANES];
        for (int c = 0; c < LANES; c++) {
            boolean bit = (c & s) != 0;
            if (!high) {
                lanes[c] = bit ? (c - s) - LANES : c;
            } else {
                lanes[c] = bit ? c - LANES : c + s;
            }
        }
        return VectorShuffle.fromValues(F, lanes);
    }

    /** {@link #transpose} one element at a time (any lane count). */
    private static void transposeScalar(MemorySegment x, int in, int batch, int t, int k0, int k1, MemorySegment xt,
            long tileAt) {
        for (int j = 0; j < BatchLaneTile.X_ROWS; j++) {
            int b = t * BatchLaneTile.X_ROWS + j;
            long dst = tileAt + j * 4L;
            if (b < batch) {
                long src = (long) b * in * 4;
                for (int k = k0; k < k1; k++) {
                    xt.set(F32, dst + k * BatchLaneTile.XT_K_BYTES, x.get(F32, src + k * 4L));
                }
            } else {
                for (int k = k0; k < k1; k++) {
                    xt.set(F32, dst + k * BatchLaneTile.XT_K_BYTES, 0f);
                }
            }
        }
    }
}
