package io.podserve.kernels.cpu;

import java.lang.foreign.MemorySegment;

import io.podserve.kernels.WeightFormat;
import io.podserve.kernels.Weights;
import jdk.incubator.vector.VectorOperators;

/**
 * One weight format's matmul: register-tiled vector kernels behind a shared loop nest, and a plain
 * scalar reference. Computes {@code y[b][o] = Σ_i x[b][i] · W[o][i]} with x f32 {@code [batch, in]},
 * W {@code [out, in]}, y f32 {@code [batch, out]}.
 *
 * <p>The loop nest over a range of output rows, per k-block:
 * <ol>
 *   <li>tiles of {@link #TALL_BATCH} x rows × {@link #TALL_ROWS} weight rows (each weight vector,
 *       widened once, feeds 8 FMAs), then one tile of 4 × {@link #TALL_ROWS} if 4 to 7 x rows remain;
 *   <li>each remaining x row as 1 × 4 tiles (decode: four weight streams in flight);
 *   <li>weight rows left over by the tiles' heights, one output at a time;
 *   <li>the last {@code (k1 - k0) % STEP} elements, scalar, added to y.
 * </ol>
 * NOTE: 8 × 2 is the largest tile C2 compiles whole: at 8 × 3 the method passes C2's node-count
 * inlining cutoff, vector loads stop inlining, and every vector is boxed on the heap (measured
 * 10-100× slower). For the same reason tiles park their accumulators in per-thread scratch and
 * {@link #flush} reduces them in a separate method.
 *
 * <p>k-blocks of {@link #K_BLOCK} only when the batch is 4 or more, so the x rows of a tile stay
 * cache-resident while the chunk's weight rows pass; a decode row is one dot product end to end.
 * Stateless; safe on any thread.
 */
abstract sealed class MatmulKernel permits F32Kernel, Bf16Kernel, F16Kernel, Q8Kernel {
    /** Vector bodies cover multiples of this (a Q8 block; a multiple of every lane count ≤ 32). */
    static final int STEP = 32;
    /** k-block for batches of 4 or more; a multiple of {@link #STEP}. */
    static final int K_BLOCK = 2048;
    static final long VECTOR_BYTES = Simd.F.vectorByteSize();
    /** x rows of the tall tile. */
    static final int TALL_BATCH = 8;
    /** Weight rows of the tall and mid tiles. */
    static final int TALL_ROWS = 2;
    /** Per-thread scratch a tile needs for its accumulators (the tall tile's, or 1 × 4). */
    static final long SCRATCH_BYTES = Math.max(TALL_BATCH * TALL_ROWS, 4) * VECTOR_BYTES;

    static MatmulKernel of(WeightFormat format) {
        return switch (format) {
            case F32 -> F32Kernel.INSTANCE;
            case BF16 -> Bf16Kernel.INSTANCE;
            case F16 -> F16Kernel.INSTANCE;
            case Q8 -> Q8Kernel.INSTANCE;
        };
    }

    /**
     * Vector path: rows {@code [rowFrom, rowTo)} of y for every batch row. {@code sums} is the
     * calling thread's scratch of at least {@link #SCRATCH_BYTES}.
     */
    final void rows(MemorySegment x, Weights w, MemorySegment y, int batch, int rowFrom, int rowTo,
            MemorySegment sums) {
        int in = w.cols();
        int kBlock = batch >= 4 ? K_BLOCK : in;
        for (int k0 = 0; k0 < in; k0 += kBlock) {
            int k1 = Math.min(in, k0 + kBlock);
            int kv = k0 + (k1 - k0) / STEP * STEP;
            boolean accumulate = k0 > 0;
            if (kv > k0) {
                int b = 0;
                for (; b + TALL_BATCH <= batch; b += TALL_BATCH) {
                    tallTiles(TALL_BATCH, x, w, y, b, rowFrom, rowTo, k0, kv, accumulate, sums);
                }
                if (b + 4 <= batch) {
                    tallTiles(4, x, w, y, b, rowFrom, rowTo, k0, kv, accumulate, sums);
                    b += 4;
                }
                for (; b < batch; b++) {
                    int o = rowFrom;
                    for (; o + 4 <= rowTo; o += 4) {
                        tile1x4(x, w, y, b, o, k0, kv, accumulate, sums);
                    }
                    for (; o < rowTo; o++) {
                        tile1x1(x, w, y, b, o, k0, kv, accumulate, sums);
                    }
                }
            }
            if (kv < k1) {
                scalarTail(x, w, y, batch, rowFrom, rowTo, kv, k1, accumulate || kv > k0);
            }
        }
    }

    /** x rows {@code [b, b + height)} against weight rows in threes, leftovers one by one. */
    private void tallTiles(int height, MemorySegment x, Weights w, MemorySegment y, int b, int rowFrom, int rowTo,
            int k0, int kv, boolean accumulate, MemorySegment sums) {
        int o = rowFrom;
        for (; o + TALL_ROWS <= rowTo; o += TALL_ROWS) {
            if (height == TALL_BATCH) {
                tileTall(x, w, y, b, o, k0, kv, accumulate, sums);
            } else {
                tileMid(x, w, y, b, o, k0, kv, accumulate, sums);
            }
        }
        for (; o < rowTo; o++) {
            for (int bb = b; bb < b + height; bb++) {
                tile1x1(x, w, y, bb, o, k0, kv, accumulate, sums);
            }
        }
    }

    /** {@code y[b..b+TALL_BATCH-1][o..o+TALL_ROWS-1] (+)= Σ_{i∈[k0,kv)} x[b+j][i] · W[o+r][i]}. */
    abstract void tileTall(MemorySegment x, Weights w, MemorySegment y, int b, int o, int k0, int kv,
            boolean accumulate,
            MemorySegment sums);

    /** {@code y[b..b+3][o..o+TALL_ROWS-1] (+)= Σ_{i∈[k0,kv)} x[b+j][i] · W[o+r][i]}. */
    abstract void tileMid(MemorySegment x, Weights w, MemorySegment y, int b, int o, int k0, int kv,
            boolean accumulate,
            MemorySegment sums);

    /** {@code y[b][o..o+3] (+)= Σ_{i∈[k0,kv)} x[b][i] · W[o+r][i]}. */
    abstract void tile1x4(MemorySegment x, Weights w, MemorySegment y, int b, int o, int k0, int kv,
            boolean accumulate,
            MemorySegment sums);

    /** {@code y[b][o] (+)= Σ_{i∈[k0,kv)} x[b][i] · W[o][i]}. */
    abstract void tile1x1(MemorySegment x, Weights w, MemorySegment y, int b, int o, int k0, int kv,
            boolean accumulate,
            MemorySegment sums);

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

    /**
     * Reduces a tile's accumulators, left in {@code sums} as {@code [numX][numW]} vectors, and
     * writes or adds each lane sum to {@code y[b + j][o + r]}.
     */
    static void flush(MemorySegment sums, MemorySegment y, int out, int b, int numX, int o, int numW,
            boolean accumulate) {
        for (int j = 0; j < numX; j++) {
            for (int r = 0; r < numW; r++) {
                float sum = Simd.f32(sums, (j * numW + r) * VECTOR_BYTES).reduceLanes(VectorOperators.ADD);
                store(y, out, b + j, o + r, sum, accumulate);
            }
        }
    }

    /** Writes or adds one finished sum to {@code y[b][o]}. */
    static void store(MemorySegment y, int out, int b, int o, float sum, boolean accumulate) {
        long offset = ((long) b * out + o) * 4;
        y.set(Simd.F32, offset, accumulate ? y.get(Simd.F32, offset) + sum : sum);
    }
}
