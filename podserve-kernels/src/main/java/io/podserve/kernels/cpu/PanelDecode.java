package io.podserve.kernels.cpu;

import java.lang.foreign.MemorySegment;

import io.podserve.kernels.WeightFormat;
import io.podserve.kernels.Weights;
import jdk.incubator.vector.FloatVector;

import static io.podserve.kernels.cpu.Simd.F;
import static io.podserve.kernels.cpu.Simd.LANES;
import static io.podserve.kernels.cpu.Simd.LE;

/**
 * The only per-format part of the matmul: widens a stretch of one weight row to f32 into the
 * calling thread's panel, where {@link MatmulTiles} reads it back from L1.
 *
 * <p>NOTE: decoding once into a small f32 panel, rather than widening inside every tile, is what
 * lets the four formats share one tile body: the tiles see only f32, so there is one copy of them,
 * and no vector ever crosses a call boundary between the tile loop and the decode (a vector that
 * does, when C2 declines to inline the callee, is boxed on the heap: the {@code lanewiseTemplate}
 * fallback seen in profiles). Each decode is one short self-contained loop, called once per panel, so its virtual dispatch costs nothing measurable. For F32 it is a plain copy.
 */
enum PanelDecode {
    F32 {
        @Override
        void rows(Weights w, int o, int numW, int k0, int k1, MemorySegment panel, long dst, long pRow) {
            MemorySegment wd = w.data();
            long src = ((long) o * w.cols() + k0) * 4;
            long wRow = (long) w.cols() * 4;
            for (int i = 0; i < k1 - k0; i += LANES) {
                for (int r = 0; r < numW; r++) {
                    Simd.f32(wd, src + r * wRow + i * 4L).intoMemorySegment(panel, dst + r * pRow + i * 4L, LE);
                }
            }
        }

        @Override
        void dot4(Weights w, int o, int numW, MemorySegment x, long xAt, int kv, MemorySegment sums, long acc) {
            MemorySegment wd = w.data();
            long wRow = (long) w.cols() * 4;
            long w0 = o * wRow;
            long w1 = numW > 1 ? w0 + wRow : w0, w2 = numW > 2 ? w0 + 2 * wRow : w0, w3 = numW > 3 ? w0 + 3 * wRow : w0;
            FloatVector a0 = FloatVector.zero(F), a1 = FloatVector.zero(F), a2 = FloatVector.zero(F), a3 = FloatVector.zero(F);
            for (int i = 0; i < kv; i += LANES) {
                FloatVector u = FloatVector.fromMemorySegment(F, x, xAt + i * 4L, LE);
                a0 = u.fma(Simd.f32(wd, w0 + i * 4L), a0);
                a1 = u.fma(Simd.f32(wd, w1 + i * 4L), a1);
                a2 = u.fma(Simd.f32(wd, w2 + i * 4L), a2);
                a3 = u.fma(Simd.f32(wd, w3 + i * 4L), a3);
            }
            park(a0, a1, a2, a3, sums, acc);
        }
    },
    BF16 {
        @Override
        void rows(Weights w, int o, int numW, int k0, int k1, MemorySegment panel, long dst, long pRow) {
            MemorySegment wd = w.data();
            long src = ((long) o * w.cols() + k0) * 2;
            long wRow = (long) w.cols() * 2;
            for (int i = 0; i < k1 - k0; i += LANES) {
                for (int r = 0; r < numW; r++) {
                    Simd.bf16(wd, src + r * wRow + i * 2L).intoMemorySegment(panel, dst + r * pRow + i * 4L, LE);
                }
            }
        }

        @Override
        void dot4(Weights w, int o, int numW, MemorySegment x, long xAt, int kv, MemorySegment sums, long acc) {
            MemorySegment wd = w.data();
            long wRow = (long) w.cols() * 2;
            long w0 = o * wRow;
            long w1 = numW > 1 ? w0 + wRow : w0, w2 = numW > 2 ? w0 + 2 * wRow : w0, w3 = numW > 3 ? w0 + 3 * wRow : w0;
            FloatVector a0 = FloatVector.zero(F), a1 = FloatVector.zero(F), a2 = FloatVector.zero(F), a3 = FloatVector.zero(F);
            for (int i = 0; i < kv; i += LANES) {
                FloatVector u = FloatVector.fromMemorySegment(F, x, xAt + i * 4L, LE);
                a0 = u.fma(Simd.bf16(wd, w0 + i * 2L), a0);
                a1 = u.fma(Simd.bf16(wd, w1 + i * 2L), a1);
                a2 = u.fma(Simd.bf16(wd, w2 + i * 2L), a2);
                a3 = u.fma(Simd.bf16(wd, w3 + i * 2L), a3);
            }
            park(a0, a1, a2, a3, sums, acc);
        }
    },
    F16 {
        @Override
        void rows(Weights w, int o, int numW, int k0, int k1, MemorySegment panel, long dst, long pRow) {
            MemorySegment wd = w.data();
            long src = ((long) o * w.cols() + k0) * 2;
            long wRow = (long) w.cols() * 2;
            for (int i = 0; i < k1 - k0; i += LANES) {
                for (int r = 0; r < numW; r++) {
                    Simd.f16(wd, src + r * wRow + i * 2L).intoMemorySegment(panel, dst + r * pRow + i * 4L, LE);
                }
            }
        }

        @Override
        void dot4(Weights w, int o, int numW, MemorySegment x, long xAt, int kv, MemorySegment sums, long acc) {
            MemorySegment wd = w.data();
            long wRow = (long) w.cols() * 2;
            long w0 = o * wRow;
            long w1 = numW > 1 ? w0 + wRow : w0, w2 = numW > 2 ? w0 + 2 * wRow : w0, w3 = numW > 3 ? w0 + 3 * wRow : w0;
            FloatVector a0 = FloatVector.zero(F), a1 = FloatVector.zero(F), a2 = FloatVector.zero(F), a3 = FloatVector.zero(F);
            for (int i = 0; i < kv; i += LANES) {
                FloatVector u = FloatVector.fromMemorySegment(F, x, xAt + i * 4L, LE);
                a0 = u.fma(Simd.f16(wd, w0 + i * 2L), a0);
                a1 = u.fma(Simd.f16(wd, w1 + i * 2L), a1);
                a2 = u.fma(Simd.f16(wd, w2 + i * 2L), a2);
                a3 = u.fma(Simd.f16(wd, w3 + i * 2L), a3);
            }
            park(a0, a1, a2, a3, sums, acc);
        }
    },
    Q8 {
        /** k0 and k1 are multiples of the Q8 block, and a block is whole vectors (LANES divides 32). */
        @Override
        void rows(Weights w, int o, int numW, int k0, int k1, MemorySegment panel, long dst, long pRow) {
            MemorySegment wd = w.data();
            long src = (long) o * w.cols();
            long scales = io.podserve.kernels.Q8.scaleOffset(w, o, 0);
            long scaleRow = (long) WeightFormat.Q8.numBlocks(w.cols()) * 4;
            for (int i = k0; i < k1; i += LANES) {
                long block = (i / io.podserve.kernels.Q8.BLOCK_SIZE) * 4L;
                for (int r = 0; r < numW; r++) {
                    float scale = wd.get(Simd.F32, scales + r * scaleRow + block);
                    Simd.q8(wd, src + (long) r * w.cols() + i).mul(FloatVector.broadcast(F, scale))
                            .intoMemorySegment(panel, dst + r * pRow + (i - k0) * 4L, LE);
                }
            }
        }

        @Override
        void dot4(Weights w, int o, int numW, MemorySegment x, long xAt, int kv, MemorySegment sums, long acc) {
            MemorySegment wd = w.data();
            long wRow = w.cols();
            long scaleRow = (long) WeightFormat.Q8.numBlocks(w.cols()) * 4;
            long w0 = o * wRow;
            long c0 = io.podserve.kernels.Q8.scaleOffset(w, o, 0);
            long w1 = numW > 1 ? w0 + wRow : w0, w2 = numW > 2 ? w0 + 2 * wRow : w0, w3 = numW > 3 ? w0 + 3 * wRow : w0;
            long c1 = numW > 1 ? c0 + scaleRow : c0, c2 = numW > 2 ? c0 + 2 * scaleRow : c0;
            long c3 = numW > 3 ? c0 + 3 * scaleRow : c0;
            FloatVector a0 = FloatVector.zero(F), a1 = FloatVector.zero(F), a2 = FloatVector.zero(F), a3 = FloatVector.zero(F);
            for (int i = 0; i < kv; i += LANES) {
                long c = (i / io.podserve.kernels.Q8.BLOCK_SIZE) * 4L;
                FloatVector u = FloatVector.fromMemorySegment(F, x, xAt + i * 4L, LE);
                a0 = u.mul(wd.get(Simd.F32, c0 + c)).fma(Simd.q8(wd, w0 + i), a0);
                a1 = u.mul(wd.get(Simd.F32, c1 + c)).fma(Simd.q8(wd, w1 + i), a1);
                a2 = u.mul(wd.get(Simd.F32, c2 + c)).fma(Simd.q8(wd, w2 + i), a2);
                a3 = u.mul(wd.get(Simd.F32, c3 + c)).fma(Simd.q8(wd, w3 + i), a3);
            }
            park(a0, a1, a2, a3, sums, acc);
        }
    };

    static PanelDecode of(WeightFormat format) {
        return switch (format) {
            case F32 -> F32;
            case BF16 -> BF16;
            case F16 -> F16;
            case Q8 -> Q8;
        };
    }

    /**
     * Writes {@code W[o + r][k0..k1)} widened to f32 at {@code panel[dst + r · pRow ..]} for
     * {@code r < numW}; {@code k1 - k0} is a multiple of {@link MatmulKernel#STEP} and {@code k0}
     * of the Q8 block. NOTE: the rows advance together, vector by vector, so numW weight streams
     * are in flight at once: one row at a time kept a single stream and bench-model bf16 decode
     * fell from 84% to 59-66% of roofline.
     */
    abstract void rows(Weights w, int o, int numW, int k0, int k1, MemorySegment panel, long dst, long pRow);

    /**
     * Fused path for one or two x rows: leaves {@code x[.][i] · W[o + r][i]} over {@code i < kv},
     * lane-wise, as 4 vectors at {@code sums[acc..]}, weights read straight from memory; rows
     * {@code r >= numW} repeat row o (their sums are ignored). NOTE: this small per-format twin of
     * the panel path exists because the panel's extra store and reload cost a third of batch-1
     * decode speed (bench-model bf16 batch 1: 87 ms/step with direct 1 × 4 dots, 117-121 ms through
     * the panel); MoE experts mostly see 1 or 2 rows, so this is their path too.
     */
    abstract void dot4(Weights w, int o, int numW, MemorySegment x, long xAt, int kv, MemorySegment sums, long acc);

    /** Parks four accumulators in scratch (the JDK's force-inlined stores only). */
    private static void park(FloatVector a0, FloatVector a1, FloatVector a2, FloatVector a3, MemorySegment sums,
            long acc) {
        a0.intoMemorySegment(sums, acc, LE);
        a1.intoMemorySegment(sums, acc + MatmulTiles.VECTOR_BYTES, LE);
        a2.intoMemorySegment(sums, acc + 2 * MatmulTiles.VECTOR_BYTES, LE);
        a3.intoMemorySegment(sums, acc + 3 * MatmulTiles.VECTOR_BYTES, LE);
    }
}
