package io.podserve.kernels.cpu;

import java.lang.foreign.MemorySegment;

import io.podserve.kernels.Weights;

/**
 * One weight format's matmul: register-tiled vector kernels behind a shared loop nest, and a plain
 * scalar reference. Computes {@code y[b][o] = Σ_i x[b][i] · W[o][i]} with x f32 {@code [batch, in]},
 * W {@code [out, in]}, y f32 {@code [batch, out]}.
 *
 * <p>The loop nest for a range of output rows: k-blocks of {@link #K_BLOCK} when the batch is
 * large (so a tile's four x rows stay in L1 while the rows' weights stream from L2), then tiles of
 * 4 batch rows × 2 weight rows (each weight vector feeds four FMAs), then leftover batch rows as
 * 1 × 4 tiles (decode: four independent weight streams), then leftover weight rows one by one.
 * Stateless; safe on any thread.
 */
abstract sealed class MatmulKernel permits F32Kernel, Bf16Kernel, F16Kernel, Q8Kernel {
    /** k-block for batches of 4 or more: a multiple of 32 (Q8 blocks) and of the lane count. */
    static final int K_BLOCK = 1024;

    static MatmulKernel of(io.podserve.kernels.WeightFormat format) {
        return switch (format) {
            case F32 -> F32Kernel.INSTANCE;
            case BF16 -> Bf16Kernel.INSTANCE;
            case F16 -> F16Kernel.INSTANCE;
            case Q8 -> Q8Kernel.INSTANCE;
        };
    }

    /** Vector path: rows {@code [rowFrom, rowTo)} of y for every batch row. */
    final void rows(MemorySegment x, Weights w, MemorySegment y, int batch, int rowFrom, int rowTo) {
        int in = w.cols();
        int kBlock = batch >= 4 ? K_BLOCK : in;
        for (int k0 = 0; k0 < in; k0 += kBlock) {
            int k1 = Math.min(in, k0 + kBlock);
            boolean accumulate = k0 > 0;
            int b = 0;
            for (; b + 4 <= batch; b += 4) {
                int o = rowFrom;
                for (; o + 2 <= rowTo; o += 2) {
                    tile4x2(x, w, y, b, o, k0, k1, accumulate);
                }
                for (; o < rowTo; o++) {
                    for (int bb = b; bb < b + 4; bb++) {
                        tile1x1(x, w, y, bb, o, k0, k1, accumulate);
                    }
                }
            }
            for (; b < batch; b++) {
                int o = rowFrom;
                for (; o + 4 <= rowTo; o += 4) {
                    tile1x4(x, w, y, b, o, k0, k1, accumulate);
                }
                for (; o < rowTo; o++) {
                    tile1x1(x, w, y, b, o, k0, k1, accumulate);
                }
            }
        }
    }

    /** {@code y[b..b+3][o..o+1] (+)= Σ_{i∈[k0,k1)} x[b+j][i] · W[o+r][i]}. */
    abstract void tile4x2(MemorySegment x, Weights w, MemorySegment y, int b, int o, int k0, int k1,
            boolean accumulate);

    /** {@code y[b][o..o+3] (+)= Σ_{i∈[k0,k1)} x[b][i] · W[o+r][i]}. */
    abstract void tile1x4(MemorySegment x, Weights w, MemorySegment y, int b, int o, int k0, int k1,
            boolean accumulate);

    /** {@code y[b][o] (+)= Σ_{i∈[k0,k1)} x[b][i] · W[o][i]}. */
    abstract void tile1x1(MemorySegment x, Weights w, MemorySegment y, int b, int o, int k0, int k1,
            boolean accumulate);

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
