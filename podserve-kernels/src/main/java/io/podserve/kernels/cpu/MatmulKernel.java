package io.podserve.kernels.cpu;

import java.lang.foreign.MemorySegment;
import java.util.Arrays;

import io.podserve.kernels.WeightFormat;
import io.podserve.kernels.Weights;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;

/**
 * The matmul of every weight format: {@code y[b][o] = Σ_i x[b][i] · W[o][i]} with x f32
 * {@code [batch, in]}, W {@code [out, in]}, y f32 {@code [batch, out]}; one vector loop nest, and
 * a plain scalar reference.
 *
 * <p>Per block of up to {@link #B_BLOCK} x rows, by the block's size: up to the format's
 * {@link PanelDecode#dotRows} (decode, and most MoE experts) fused dots read the weights of the whole
 * row range straight from memory, one x row at a time ({@link #direct}); up to its
 * {@link PanelDecode#dot4x2Rows} (when the whole batch fits, its x given in {@link PairLanes} layout), 4 × 4
 * and 4 × 2 fused dots widen each weight vector once for 4 or 2 x rows ({@link #directRows}); past that, per group of {@link MatmulTiles#PANEL_ROWS} weight rows, the
 * panel loop nest:
 * <ol>
 *   <li>per k-block of {@link #K_BLOCK} ({@link #K_BLOCK_FEW} for a few x rows): the format's {@link PanelDecode} widens the group's
 *       k-block to f32 in the thread's panel (zero rows pad a short last group), then 2 × 8 tiles
 *       run over the x rows and a 1 × 8 tile over the one left, adding into per-x-row vector
 *       accumulators;
 *   <li>one horizontal sum per output, written to y;
 * </ol>
 * and at the end the last {@code in % STEP} elements, scalar, added to y. Matmuls of at least
 * {@link #LANES_MIN_BATCH} x rows take {@link #rowsBatchLanes} instead, whose tile runs its vector
 * lanes along the batch and needs no horizontal sums.
 *
 * <p>NOTE: the panel (8 rows × 2 KiB) stays in L1 while a tile's x rows stream from L2, and the x
 * block (64 rows × in) fits L2; with 2048-element panels the two no longer fit L1 and batch 32 on
 * 4096 × 4096 measured 15% slower (JMH, 97 against 114 GFLOP/s). The weights are decoded once per x-row
 * block, spreading the widening over up to 64 x rows; at batch 1 the panel costs one L1 store and
 * load per weight vector, which hides under the memory stream. Accumulators stay vectors across
 * k-blocks, so each output pays one horizontal sum however long the row.
 *
 * <p>Stateless; safe on any thread.
 */
final class MatmulKernel {
    /**
     * Whether 3 or more x rows on the fused path take {@link PanelDecode#dot4x4} (4 at a time, one pass over the
     * weights for 3-4 rows) before the 4 × 2 dots; {@code -Dpodserve.kernels.dot4x4=false} for 4 × 2 only, to compare.
     */
    static final boolean DOT4X4 = !"false".equals(System.getProperty("podserve.kernels.dot4x4"));
    /** Whether fused dots take their 4 weight rows from 4 stretches of the range (see {@link #direct}). */
    static final boolean STRETCHES = !"false".equals(System.getProperty("podserve.kernels.stretches"));
    /** Vector bodies cover multiples of this (a Q8 block; a multiple of every lane count ≤ 32). */
    static final int STEP = 32;
    /** k-block of a panel, a multiple of {@link #STEP}. */
    static final int K_BLOCK = 512;
    /**
     * k-block when the x block has at most {@link #FEW_ROWS} rows. NOTE: with 512-element pieces,
     * a decode reads each weight row (4 KiB in bf16 at in = 2048) in four 1 KiB visits between
     * visits to 7 other rows, which the prefetchers follow badly: bench-model bf16 decode fell
     * from 84% to 66% of roofline. Whole 2048-element stretches keep batch-1 streams contiguous;
     * the x rows are too few to need the smaller panel in L1.
     */
    static final int K_BLOCK_FEW = 1024;
    /** Floats of one x row's accumulators on the {@link #directRows} path: a vector per weight row of a fused dot. */
    static final int DIRECT_ROW_FLOATS = 4 * Simd.LANES;
    /**
     * k-block of {@link #directRows} with more than 4 x rows (passes past the first read the block from L1). NOTE:
     * 2048, not 1024: each block restarts the weight streams cold, and with the 4 × 4 dot the 8 KiB blocks of 1024
     * cost more than a second pass from L2 does (FewRows, 2 cores, 8 x rows: experts 14.9-15.4 → 16.2-16.3 GB/s,
     * 2048 × 4096 matrices 15.2-15.3 → 16.8-17.0; 12 / 16 / 23 rows +3-6%; 4096 no better; 5 rows and a 32-token
     * routing mix unchanged).
     */
    static final int DIRECT_K = 2048;
    /** x-block size up to which {@link #K_BLOCK_FEW} applies (MoE experts mostly see 1 to 4 rows). */
    static final int FEW_ROWS = 4;
    /** x rows per block sharing one decode of a panel. */
    static final int B_BLOCK = 64;
    /**
     * x blocks of at least this many rows take the batch-lane path ({@link BatchLaneTile}), with x
     * transposed by the caller ({@link BatchLanes}). NOTE: below it, the padding of a
     * {@link BatchLaneTile#X_ROWS}-row tile wastes more than the 2 × 8 tile's horizontal sums cost.
     */
    static final int LANES_MIN_BATCH = Integer.getInteger("podserve.kernels.lanesMinBatch", 24);
    /**
     * k-block of the batch-lane panel. NOTE: 256, not 512: with 512 a tile's slice of the transposed x
     * (512 k × 32 lanes × 4 bytes = 64 KiB) and the 16 KiB panel outgrow a 48 KiB L1; with 256 both fit
     * (LaneProbe harness, one 2-core-machine thread, bf16 8192 × 2048 at batch 32: 9.5-10.0 against
     * 10.5-11.5 ms, the panel decoded straight into the float[] in both). With the 622 MB LM head from DRAM,
     * 512, 1024 and 2048 (the last a whole row per decode: one contiguous stream) ran at 95-99 GFLOP/s
     * against 114-117.
     */
    static final int K_BLOCK_LANES = BatchLaneTile.P_ROW;
    /** Batch-lane tiles sharing one decode of a panel. */
    static final int LANE_TILES = 4;
    /**
     * Weight rows whose batch-lane accumulators are kept until written to y together. NOTE: written per
     * 8-row group, each output row of y took a 32-byte piece at a time, a store that missed L1 (the
     * transposed x streams through it) for every 8 outputs: about 10% of a batch-32 matmul on one
     * thread; 64 rows make each y row's piece 4 whole cache lines.
     */
    static final int LANE_BLOCK_ROWS = 64;
    private static final long ACC_BYTES = B_BLOCK * MatmulTiles.ACC_ROW_BYTES;
    private static final long LANE_ACC_BYTES = (long) LANE_BLOCK_ROWS / BatchLaneTile.W_ROWS * LANE_TILES * BatchLaneTile.ACC_BYTES;
    /**
     * Floats of the per-thread float[] scratch: the panel (of either tile path), or on the {@link #directRows}
     * path the accumulators of a whole x block (and, for q8, its dots' staged scales), or in the layout pass {@link BatchLanes#transpose}'s block; then
     * the staging area of {@link BatchLaneTile#flush}. NOTE: the panel is a float[], not
     * part of the segment scratch: {@link BatchLaneTile}'s scalar reads of a segment overflowed C1's
     * virtual registers ({@code COMPILE SKIPPED} in -XX:+PrintCompilation; the method then stayed in
     * tier-2 code at 1 GFLOP/s), and a panel decoded into the segment and copied to a float[] for that
     * tile cost 15-20% of a batch-32 matmul on one thread (the copy, and its store-to-load traffic).
     */
    static final int FLOAT_SCRATCH = Math.max(Math.max(Math.max(MatmulTiles.PANEL_ROWS * MatmulTiles.P_ROW,
            BatchLaneTile.W_ROWS * BatchLaneTile.P_ROW), B_BLOCK * DIRECT_ROW_FLOATS + 4 * Simd.LANES),
            BatchLanes.SCRATCH_FLOATS) + BatchLaneTile.STAGE_FLOATS;
    /** Where the q8 fused dots stage their 4 weight rows' scales in the float[] scratch: past the accumulators. */
    static final int Q8_SCALES_AT = B_BLOCK * DIRECT_ROW_FLOATS;
    /** Where {@link BatchLaneTile#flush} stages a tile's outputs in the float[] scratch: past everything else there. */
    private static final int STAGE_AT = FLOAT_SCRATCH - BatchLaneTile.STAGE_FLOATS;
    /** Per-thread segment scratch: the accumulators of the x block or of the batch-lane tiles. */
    static final long SCRATCH_BYTES = Math.max(ACC_BYTES, LANE_ACC_BYTES);

    private static final MatmulKernel[] BY_FORMAT = new MatmulKernel[WeightFormat.values().length];

    static {
        for (WeightFormat format : WeightFormat.values()) {
            BY_FORMAT[format.ordinal()] = new MatmulKernel(PanelDecode.of(format));
        }
    }

    private final PanelDecode decode;

    private MatmulKernel(PanelDecode decode) {
        this.decode = decode;
    }

    static MatmulKernel of(WeightFormat format) {
        return BY_FORMAT[format.ordinal()];
    }

    /**
     * Vector path: rows {@code [rowFrom, rowTo)} of y for every batch row. {@code scratch} is the
     * calling thread's, at least {@link #SCRATCH_BYTES}. When {@link #usesPairLanes} says so, {@code xp} holds
     * x in {@link PairLanes} layout from index {@code xpAt}; else {@code xpAt} is negative and xp is not read.
     */
    void rows(MemorySegment x, float[] xp, int xpAt, Weights w, MemorySegment y, int batch, int rowFrom,
            int rowTo, MemorySegment scratch, float[] floats) {
        int in = w.cols();
        int kv = in / STEP * STEP;
        if (kv > 0) {
            for (int b0 = 0; b0 < batch; b0 += B_BLOCK) {
                int b1 = Math.min(batch, b0 + B_BLOCK);
                if (b1 - b0 <= decode.dotRows) {
                    direct(x, w, y, b0, b1, rowFrom, rowTo, kv, scratch);
                    continue;
                }
                if (xpAt >= 0) { // usesPairLanes(batch): the whole batch, laid out for the fused dots
                    directRows(xp, xpAt, w, y, b0, b1, rowFrom, rowTo, kv, floats);
                    continue;
                }
                for (int o = rowFrom; o < rowTo; o += MatmulTiles.PANEL_ROWS) {
                    int numW = Math.min(MatmulTiles.PANEL_ROWS, rowTo - o);
                    MatmulTiles.clear(scratch, 0, b1 - b0);
                    int kBlock = b1 - b0 <= FEW_ROWS ? K_BLOCK_FEW : K_BLOCK;
                    for (int k0 = 0; k0 < kv; k0 += kBlock) {
                        int k1 = Math.min(kv, k0 + kBlock);
                        fillPanel(w, o, numW, MatmulTiles.PANEL_ROWS, k0, k1, MatmulTiles.P_ROW, floats);
                        panelTiles(x, w.cols(), b0, b1, k0, k1, floats, scratch);
                    }
                    MatmulTiles.flush(scratch, y, w.rows(), b0, b1 - b0, o, numW);
                }
            }
        }
        if (kv < in) {
            scalarTail(x, w, y, batch, rowFrom, rowTo, kv, in, kv > 0);
        }
    }

    /**
     * Whether a {@code batch}-row matmul takes the 4 × 4 / 4 × 2 fused dots ({@link #directRows}), whose x must come
     * in {@link PairLanes} layout (the {@code xp} of {@link #rows}).
     */
    boolean usesPairLanes(int batch) {
        return batch > decode.dotRows && batch <= decode.dot4x2Rows && batch <= B_BLOCK && !usesBatchLanes(batch);
    }

    /** Whether a {@code batch}-row matmul takes {@link #rowsBatchLanes}, with x transposed first. */
    static boolean usesBatchLanes(int batch) {
        return batch >= LANES_MIN_BATCH;
    }

    /**
     * {@link #rows} for many x rows: x also given transposed, {@code xt[xtAt..]} as
     * {@link BatchLanes#transpose} leaves it. Per group of {@link BatchLaneTile#W_ROWS} weight rows
     * and up to {@link #LANE_TILES} x tiles: per k-block the panel is decoded once and every tile runs
     * over it; then, per {@link #LANE_BLOCK_ROWS} weight rows, each output is written straight from its
     * accumulator lane.
     */
    void rowsBatchLanes(MemorySegment x, MemorySegment xt, long xtAt, Weights w, MemorySegment y, int batch,
            int rowFrom, int rowTo, MemorySegment scratch, float[] panel) {
        int in = w.cols();
        int kv = in / STEP * STEP;
        if (kv > 0) {
            long tileBytes = BatchLanes.tileBytes(kv);
            int tiles = BatchLanes.tiles(batch);
            for (int t0 = 0; t0 < tiles; t0 += LANE_TILES) {
                int numT = Math.min(tiles, t0 + LANE_TILES) - t0;
                long groupBytes = numT * BatchLaneTile.ACC_BYTES; // one weight-row group's accumulators
                for (int ob = rowFrom; ob < rowTo; ob += LANE_BLOCK_ROWS) {
                    int obEnd = Math.min(rowTo, ob + LANE_BLOCK_ROWS);
                    int groups = Math.ceilDiv(obEnd - ob, BatchLaneTile.W_ROWS);
                    zero(scratch, 0, (int) (groups * groupBytes / 4));
                    for (int g = 0; g < groups; g++) {
                        int o = ob + g * BatchLaneTile.W_ROWS;
                        int numW = Math.min(BatchLaneTile.W_ROWS, obEnd - o);
                        for (int k0 = 0; k0 < kv; k0 += K_BLOCK_LANES) {
                            int k1 = Math.min(kv, k0 + K_BLOCK_LANES);
                            fillPanel(w, o, numW, BatchLaneTile.W_ROWS, k0, k1, K_BLOCK_LANES, panel);
                            for (int t = 0; t < numT; t++) {
                                long tileAt = xtAt + (t0 + t) * tileBytes + k0 * BatchLaneTile.XT_K_BYTES;
                                long accAt = g * groupBytes + t * BatchLaneTile.ACC_BYTES;
                                if (batch - (t0 + t) * BatchLaneTile.X_ROWS <= Simd.LANES) {
                                    BatchLaneTile.tileHalf(xt, tileAt, panel, 0, k1 - k0, scratch, accAt);
                                } else {
                                    BatchLaneTile.tile(xt, tileAt, panel, 0, k1 - k0, scratch, accAt);
                                }
                            }
                        }
                    }
                    for (int t = 0; t < numT; t++) {
                        int b = (t0 + t) * BatchLaneTile.X_ROWS;
                        BatchLaneTile.flush(scratch, t * BatchLaneTile.ACC_BYTES, groupBytes, y, w.rows(), b,
                                Math.min(BatchLaneTile.X_ROWS, batch - b), ob, obEnd - ob, panel, STAGE_AT);
                    }
                }
            }
        }
        if (kv < in) {
            scalarTail(x, w, y, batch, rowFrom, rowTo, kv, in, kv > 0);
        }
    }

    /**
     * Fused dots of x rows {@code [b0, b1)} with weight rows {@code [rowFrom, rowTo)}, written to y. The
     * range is cut into {@link PanelDecode#dotWidth} stretches of consecutive rows, and each
     * {@link PanelDecode#dot} takes one row from each stretch. NOTE: so the weight streams run through
     * separate regions, each sequential over its stretch; with adjacent rows (as the panel groups them) rows
     * shorter than a 4 KiB page put several streams in one page, which the hardware prefetcher follows as
     * one: a down projection of 768-element bf16 rows read at 14-16 GB/s against 22-24 for 2048-element rows.
     */
    private void direct(MemorySegment x, Weights w, MemorySegment y, int b0, int b1, int rowFrom, int rowTo, int kv,
            MemorySegment scratch) {
        long xRow = w.cols() * 4L;
        int width = decode.dotWidth;
        int stretch = stretch(rowFrom, rowTo, width);
        for (int o = rowFrom; o < firstRowsEnd(rowFrom, rowTo, stretch); o += firstRowsStep(width)) {
            int numW = Math.min(width, Math.ceilDiv(rowTo - o, stretch)); // rows o + j · stretch < rowTo
            for (int b = b0; b < b1; b++) {
                decode.dot(w, o, stretch, numW, x, b * xRow, kv, scratch);
                for (int j = 0; j < numW; j++) {
                    float sum = FloatVector.fromMemorySegment(Simd.F, scratch, j * MatmulTiles.VECTOR_BYTES, Simd.LE)
                            .reduceLanes(VectorOperators.ADD);
                    y.set(Simd.F32, ((long) b * w.rows() + o + j * stretch) * 4, sum);
                }
            }
        }
    }

    /**
     * Fused dots of x rows {@code [b0, b1)} (up to {@link PanelDecode#dot4x2Rows}) with weight rows
     * {@code [rowFrom, rowTo)}, 4 × 4 and then 4 × 2 at a time, written to y; the weight rows taken 4 stretches
     * at a time as in {@link #direct}. Accumulators live in {@code sums} ({@link #DIRECT_ROW_FLOATS} per x
     * row). With more than 4 x rows, k runs in blocks of {@link #DIRECT_K} so that each block of the 4
     * weight rows is read from memory once and from the caches by the other x rows. NOTE: 3-4 rows in one pass, not
     * two passes of 4 × 2: this machine's cores cannot overlap a pass over L1 with the next block's reads (no
     * prefetch instruction from Java, and one core's demand misses stream only ~13.7 GB/s), so each
     * extra pass costs its whole compute time. Experts from DRAM (FewRows 700, 2 cores, gate shape) at
     * 3 / 4 / 5 / 8 rows: 20.0 / 19.5 / 15.9 / 13.3 GB/s with 4 × 2 only, 22.7 / 22.5 / 19.1 / 15.5 with 4 × 4.
     */
    private void directRows(float[] xp, int xpAt, Weights w, MemorySegment y, int b0, int b1, int rowFrom,
            int rowTo, int kv, float[] sums) {
        int xRow = kv; // rows of the PairLanes copy hold the vector part only
        int numX = b1 - b0;
        int kBlock = numX <= (DOT4X4 ? 4 : 2) ? kv : DIRECT_K;
        int stretch = stretch(rowFrom, rowTo, 4);
        for (int o = rowFrom; o < firstRowsEnd(rowFrom, rowTo, stretch); o += firstRowsStep(4)) {
            int numW = Math.min(4, Math.ceilDiv(rowTo - o, stretch));
            // to an even row count: a last 4 × 4 of 3 rows, or 4 × 2 of 1, writes one row past numX
            Arrays.fill(sums, 0, Math.ceilDiv(numX, 2) * 2 * DIRECT_ROW_FLOATS, 0f);
            for (int k0 = 0; k0 < kv; k0 += kBlock) {
                int k1 = Math.min(kv, k0 + kBlock);
                for (int b = b0; b < b1; ) {
                    if (DOT4X4 && b1 - b >= 3) {
                        decode.dot4x4(w, o, stretch, numW, xp, xpAt + b * xRow, xRow, Math.min(4, b1 - b), k0, k1,
                                sums, (b - b0) * DIRECT_ROW_FLOATS);
                        b += 4;
                    } else {
                        decode.dot4x2(w, o, stretch, numW, xp, xpAt + b * xRow, xRow, Math.min(2, b1 - b), k0, k1,
                                sums, (b - b0) * DIRECT_ROW_FLOATS);
                        b += 2;
                    }
                }
            }
            for (int j = 0; j < numX; j++) {
                for (int r = 0; r < numW; r++) {
                    float sum = FloatVector.fromArray(Simd.F, sums, j * DIRECT_ROW_FLOATS + r * Simd.LANES)
                            .reduceLanes(VectorOperators.ADD);
                    y.set(Simd.F32, ((long) (b0 + j) * w.rows() + o + r * stretch) * 4, sum);
                }
            }
        }
    }

    /**
     * Rows between the {@code width} weight rows of one fused dot: the range over width, or 1 (adjacent rows)
     * with {@code -Dpodserve.kernels.stretches=false}, for comparisons.
     */
    private static int stretch(int rowFrom, int rowTo, int width) {
        return STRETCHES ? Math.ceilDiv(rowTo - rowFrom, width) : 1;
    }

    /** End of the fused dots' first rows: the first stretch, or (adjacent rows) the whole range. */
    private static int firstRowsEnd(int rowFrom, int rowTo, int stretch) {
        return STRETCHES ? rowFrom + stretch : rowTo;
    }

    /** From one fused dot's first row to the next's: 1 within the first stretch, or (adjacent rows) a dot's width. */
    private static int firstRowsStep(int width) {
        return STRETCHES ? 1 : width;
    }

    /**
     * Widens weight rows {@code [o, o + numW)} over {@code [k0, k1)} into the panel of
     * {@code panelRows} rows of {@code pRow} floats; zeroes the rows past numW.
     */
    private void fillPanel(Weights w, int o, int numW, int panelRows, int k0, int k1, int pRow, float[] panel) {
        decode.rows(w, o, numW, k0, k1, panel, 0, pRow);
        for (int r = numW; r < panelRows; r++) {
            Arrays.fill(panel, r * pRow, r * pRow + k1 - k0, 0f);
        }
    }

    private static void zero(MemorySegment seg, long at, int floats) {
        for (int i = 0; i < floats; i += Simd.LANES) {
            FloatVector.zero(Simd.F).intoMemorySegment(seg, at + i * 4L, Simd.LE);
        }
    }

    /** x rows {@code [b0, b1)} over {@code [k0, k1)} against the panel, into their accumulators. */
    private static void panelTiles(MemorySegment x, int in, int b0, int b1, int k0, int k1, float[] panel,
            MemorySegment scratch) {
        long xRow = in * 4L;
        int n = k1 - k0;
        int b = b0;
        for (; b + MatmulTiles.TILE_BATCH <= b1; b += MatmulTiles.TILE_BATCH) {
            MatmulTiles.tile2x8(x, b * xRow + k0 * 4L, xRow, panel, 0, n,
                    scratch, (b - b0) * MatmulTiles.ACC_ROW_BYTES);
        }
        for (; b < b1; b++) {
            MatmulTiles.tile1x8(x, b * xRow + k0 * 4L, panel, 0, n,
                    scratch, (b - b0) * MatmulTiles.ACC_ROW_BYTES);
        }
    }

    /** The elements past the vector bodies, {@code [kv, k1)}, for every output of the range. */
    private static void scalarTail(MemorySegment x, Weights w, MemorySegment y, int batch, int rowFrom, int rowTo,
            int kv, int k1, boolean accumulate) {
        int in = w.cols();
        for (int b = 0; b < batch; b++) {
            for (int o = rowFrom; o < rowTo; o++) {
                float sum = 0;
                for (int i = kv; i < k1; i++) {
                    sum += x.get(Simd.F32, ((long) b * in + i) * 4) * w.get(o, i);
                }
                store(y, w.rows(), b, o, sum, accumulate);
            }
        }
    }

    /** Scalar reference: one f32 dot product per output, in index order, single-threaded. */
    static void reference(MemorySegment x, Weights w, MemorySegment y, int batch) {
        int in = w.cols();
        int out = w.rows();
        for (int b = 0; b < batch; b++) {
            for (int o = 0; o < out; o++) {
                float sum = 0;
                for (int i = 0; i < in; i++) {
                    sum += x.get(Simd.F32, ((long) b * in + i) * 4) * w.get(o, i);
                }
                y.set(Simd.F32, ((long) b * out + o) * 4, sum);
            }
        }
    }

    /** Writes or adds one finished sum to {@code y[b][o]}. */
    static void store(MemorySegment y, int out, int b, int o, float sum, boolean accumulate) {
        long offset = ((long) b * out + o) * 4;
        y.set(Simd.F32, offset, accumulate ? y.get(Simd.F32, offset) + sum : sum);
    }
}
