package io.podserve.kernels.cpu;

import java.lang.foreign.MemorySegment;

import io.podserve.kernels.WeightFormat;
import io.podserve.kernels.Weights;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.ShortVector;
import jdk.incubator.vector.VectorOperators;

import static io.podserve.kernels.cpu.Simd.F;
import static io.podserve.kernels.cpu.Simd.LANES;
import static io.podserve.kernels.cpu.Simd.LE;

/**
 * The only per-format part of the matmul: widens a stretch of one weight row to f32 into the
 * calling thread's panel (a float[]), where {@link MatmulTiles} and {@link BatchLaneTile} read it back from L1.
 *
 * <p>NOTE: decoding once into a small f32 panel, rather than widening inside every tile, is what
 * lets the four formats share one tile body: the tiles see only f32, so there is one copy of them,
 * and no vector ever crosses a call boundary between the tile loop and the decode (a vector that
 * does, when C2 declines to inline the callee, is boxed on the heap: the {@code lanewiseTemplate}
 * fallback seen in profiles). Each decode is one short self-contained loop, called once per panel, so its virtual dispatch costs nothing measurable. For F32 it is a plain copy.
 */
enum PanelDecode {
    /** No 4 × 2 dot: f32 matmul weights are rare (tiny test checkpoints), so the panel serves 2-23 rows. */
    F32(1, 4, false) {
        @Override
        void rows(Weights w, int o, int numW, int k0, int k1, float[] panel, int dst, int pRow) {
            MemorySegment wd = w.data();
            long src = ((long) o * w.cols() + k0) * 4;
            long wRow = (long) w.cols() * 4;
            for (int i = 0; i < k1 - k0; i += LANES) {
                for (int r = 0; r < numW; r++) {
                    Simd.f32(wd, src + r * wRow + i * 4L).intoArray(panel, dst + r * pRow + i);
                }
            }
        }

        @Override
        void dot(Weights w, int o, int rowStride, int numW, MemorySegment x, long xAt, int kv, MemorySegment sums) {
            MemorySegment wd = w.data();
            long wRow = (long) w.cols() * 4;
            long w0 = o * wRow;
            long wStep = rowStride * wRow;
            long w1 = numW > 1 ? w0 + wStep : w0, w2 = numW > 2 ? w0 + 2 * wStep : w0, w3 = numW > 3 ? w0 + 3 * wStep : w0;
            FloatVector a0 = FloatVector.zero(F), a1 = FloatVector.zero(F), a2 = FloatVector.zero(F), a3 = FloatVector.zero(F);
            for (int i = 0; i < kv; i += LANES) {
                FloatVector u = FloatVector.fromMemorySegment(F, x, xAt + i * 4L, LE);
                a0 = u.fma(Simd.f32(wd, w0 + i * 4L), a0);
                a1 = u.fma(Simd.f32(wd, w1 + i * 4L), a1);
                a2 = u.fma(Simd.f32(wd, w2 + i * 4L), a2);
                a3 = u.fma(Simd.f32(wd, w3 + i * 4L), a3);
            }
            park(a0, a1, a2, a3, sums);
        }
    },
    BF16(1, 8, true) {
        @Override
        void rows(Weights w, int o, int numW, int k0, int k1, float[] panel, int dst, int pRow) {
            MemorySegment wd = w.data();
            long src = ((long) o * w.cols() + k0) * 2;
            long wRow = (long) w.cols() * 2;
            for (int i = 0; i < k1 - k0; i += LANES) {
                for (int r = 0; r < numW; r++) {
                    Simd.bf16(wd, src + r * wRow + i * 2L).intoArray(panel, dst + r * pRow + i);
                }
            }
        }

        @Override
        void dot(Weights w, int o, int rowStride, int numW, MemorySegment x, long xAt, int kv, MemorySegment sums) {
            MemorySegment wd = w.data();
            long wRow = (long) w.cols() * 2;
            long w0 = o * wRow;
            long wStep = rowStride * wRow;
            long w1 = numW > 1 ? w0 + wStep : w0, w2 = numW > 2 ? w0 + 2 * wStep : w0, w3 = numW > 3 ? w0 + 3 * wStep : w0;
            long w4 = numW > 4 ? w0 + 4 * wStep : w0, w5 = numW > 5 ? w0 + 5 * wStep : w0;
            long w6 = numW > 6 ? w0 + 6 * wStep : w0, w7 = numW > 7 ? w0 + 7 * wStep : w0;
            FloatVector a0 = FloatVector.zero(F), a1 = FloatVector.zero(F), a2 = FloatVector.zero(F), a3 = FloatVector.zero(F);
            FloatVector a4 = FloatVector.zero(F), a5 = FloatVector.zero(F), a6 = FloatVector.zero(F), a7 = FloatVector.zero(F);
            for (int i = 0; i < kv; i += LANES) {
                FloatVector u = FloatVector.fromMemorySegment(F, x, xAt + i * 4L, LE);
                a0 = u.fma(Simd.bf16(wd, w0 + i * 2L), a0);
                a1 = u.fma(Simd.bf16(wd, w1 + i * 2L), a1);
                a2 = u.fma(Simd.bf16(wd, w2 + i * 2L), a2);
                a3 = u.fma(Simd.bf16(wd, w3 + i * 2L), a3);
                a4 = u.fma(Simd.bf16(wd, w4 + i * 2L), a4);
                a5 = u.fma(Simd.bf16(wd, w5 + i * 2L), a5);
                a6 = u.fma(Simd.bf16(wd, w6 + i * 2L), a6);
                a7 = u.fma(Simd.bf16(wd, w7 + i * 2L), a7);
            }
            long v = MatmulTiles.VECTOR_BYTES; // the stores written out: no vector crosses a call of ours
            a0.intoMemorySegment(sums, 0, LE);
            a1.intoMemorySegment(sums, v, LE);
            a2.intoMemorySegment(sums, 2 * v, LE);
            a3.intoMemorySegment(sums, 3 * v, LE);
            a4.intoMemorySegment(sums, 4 * v, LE);
            a5.intoMemorySegment(sums, 5 * v, LE);
            a6.intoMemorySegment(sums, 6 * v, LE);
            a7.intoMemorySegment(sums, 7 * v, LE);
        }

        /** x in {@link PairLanes} layout: each weight load is one block, widened to its even and odd halves. */
        @Override
        void dot4x2(Weights w, int o, int rowStride, int numW, float[] x, int xAt, int xRow, int numX, int k0, int k1,
                float[] sums, int acc) {
            MemorySegment wd = w.data();
            long wRow = (long) w.cols() * 2;
            long w0 = o * wRow;
            long wStep = rowStride * wRow;
            long w1 = numW > 1 ? w0 + wStep : w0, w2 = numW > 2 ? w0 + 2 * wStep : w0, w3 = numW > 3 ? w0 + 3 * wStep : w0;
            int x0 = xAt, x1 = numX > 1 ? xAt + xRow : xAt;
            int row = MatmulKernel.DIRECT_ROW_FLOATS;
            FloatVector a00 = FloatVector.fromArray(F, sums, acc);
            FloatVector a01 = FloatVector.fromArray(F, sums, acc + LANES);
            FloatVector a02 = FloatVector.fromArray(F, sums, acc + 2 * LANES);
            FloatVector a03 = FloatVector.fromArray(F, sums, acc + 3 * LANES);
            FloatVector a10 = FloatVector.fromArray(F, sums, acc + row);
            FloatVector a11 = FloatVector.fromArray(F, sums, acc + row + LANES);
            FloatVector a12 = FloatVector.fromArray(F, sums, acc + row + 2 * LANES);
            FloatVector a13 = FloatVector.fromArray(F, sums, acc + row + 3 * LANES);
            for (int i = k0; i < k1; i += PairLanes.BLOCK) {
                FloatVector e0 = FloatVector.fromArray(F, x, x0 + i); // a block's even elements, then its odd ones
                FloatVector d0 = FloatVector.fromArray(F, x, x0 + i + LANES);
                FloatVector e1 = FloatVector.fromArray(F, x, x1 + i);
                FloatVector d1 = FloatVector.fromArray(F, x, x1 + i + LANES);
                IntVector bits = IntVector.fromMemorySegment(Simd.I, wd, w0 + i * 2L, LE);
                FloatVector lo = bits.lanewise(VectorOperators.LSHL, 16).reinterpretAsFloats();
                FloatVector hi = bits.and(0xFFFF0000).reinterpretAsFloats();
                a00 = d0.fma(hi, e0.fma(lo, a00));
                a10 = d1.fma(hi, e1.fma(lo, a10));
                bits = IntVector.fromMemorySegment(Simd.I, wd, w1 + i * 2L, LE);
                lo = bits.lanewise(VectorOperators.LSHL, 16).reinterpretAsFloats();
                hi = bits.and(0xFFFF0000).reinterpretAsFloats();
                a01 = d0.fma(hi, e0.fma(lo, a01));
                a11 = d1.fma(hi, e1.fma(lo, a11));
                bits = IntVector.fromMemorySegment(Simd.I, wd, w2 + i * 2L, LE);
                lo = bits.lanewise(VectorOperators.LSHL, 16).reinterpretAsFloats();
                hi = bits.and(0xFFFF0000).reinterpretAsFloats();
                a02 = d0.fma(hi, e0.fma(lo, a02));
                a12 = d1.fma(hi, e1.fma(lo, a12));
                bits = IntVector.fromMemorySegment(Simd.I, wd, w3 + i * 2L, LE);
                lo = bits.lanewise(VectorOperators.LSHL, 16).reinterpretAsFloats();
                hi = bits.and(0xFFFF0000).reinterpretAsFloats();
                a03 = d0.fma(hi, e0.fma(lo, a03));
                a13 = d1.fma(hi, e1.fma(lo, a13));
            }
            a00.intoArray(sums, acc);
            a01.intoArray(sums, acc + LANES);
            a02.intoArray(sums, acc + 2 * LANES);
            a03.intoArray(sums, acc + 3 * LANES);
            a10.intoArray(sums, acc + row);
            a11.intoArray(sums, acc + row + LANES);
            a12.intoArray(sums, acc + row + 2 * LANES);
            a13.intoArray(sums, acc + row + 3 * LANES);
        }

        @Override
        void dot4x4(Weights w, int o, int rowStride, int numW, float[] x, int xAt, int xRow, int numX, int k0, int k1,
                float[] sums, int acc) {
            MemorySegment wd = w.data();
            long wRow = (long) w.cols() * 2;
            long w0 = o * wRow;
            long wStep = rowStride * wRow;
            long w1 = numW > 1 ? w0 + wStep : w0, w2 = numW > 2 ? w0 + 2 * wStep : w0, w3 = numW > 3 ? w0 + 3 * wStep : w0;
            int x0 = xAt, x1 = numX > 1 ? xAt + xRow : x0, x2 = numX > 2 ? xAt + 2 * xRow : x1, x3 = numX > 3 ? xAt + 3 * xRow : x2;
            int row = MatmulKernel.DIRECT_ROW_FLOATS;
            FloatVector a00 = FloatVector.fromArray(F, sums, acc);
            FloatVector a01 = FloatVector.fromArray(F, sums, acc + LANES);
            FloatVector a02 = FloatVector.fromArray(F, sums, acc + 2 * LANES);
            FloatVector a03 = FloatVector.fromArray(F, sums, acc + 3 * LANES);
            FloatVector a10 = FloatVector.fromArray(F, sums, acc + row);
            FloatVector a11 = FloatVector.fromArray(F, sums, acc + row + LANES);
            FloatVector a12 = FloatVector.fromArray(F, sums, acc + row + 2 * LANES);
            FloatVector a13 = FloatVector.fromArray(F, sums, acc + row + 3 * LANES);
            FloatVector a20 = FloatVector.fromArray(F, sums, acc + 2 * row);
            FloatVector a21 = FloatVector.fromArray(F, sums, acc + 2 * row + LANES);
            FloatVector a22 = FloatVector.fromArray(F, sums, acc + 2 * row + 2 * LANES);
            FloatVector a23 = FloatVector.fromArray(F, sums, acc + 2 * row + 3 * LANES);
            FloatVector a30 = FloatVector.fromArray(F, sums, acc + 3 * row);
            FloatVector a31 = FloatVector.fromArray(F, sums, acc + 3 * row + LANES);
            FloatVector a32 = FloatVector.fromArray(F, sums, acc + 3 * row + 2 * LANES);
            FloatVector a33 = FloatVector.fromArray(F, sums, acc + 3 * row + 3 * LANES);
            for (int i = k0; i < k1; i += PairLanes.BLOCK) {
                FloatVector e0 = FloatVector.fromArray(F, x, x0 + i);
                FloatVector d0 = FloatVector.fromArray(F, x, x0 + i + LANES);
                FloatVector e1 = FloatVector.fromArray(F, x, x1 + i);
                FloatVector d1 = FloatVector.fromArray(F, x, x1 + i + LANES);
                FloatVector e2 = FloatVector.fromArray(F, x, x2 + i);
                FloatVector d2 = FloatVector.fromArray(F, x, x2 + i + LANES);
                FloatVector e3 = FloatVector.fromArray(F, x, x3 + i);
                FloatVector d3 = FloatVector.fromArray(F, x, x3 + i + LANES);
                IntVector bits = IntVector.fromMemorySegment(Simd.I, wd, w0 + i * 2L, LE);
                FloatVector lo = bits.lanewise(VectorOperators.LSHL, 16).reinterpretAsFloats();
                FloatVector hi = bits.and(0xFFFF0000).reinterpretAsFloats();
                a00 = d0.fma(hi, e0.fma(lo, a00));
                a10 = d1.fma(hi, e1.fma(lo, a10));
                a20 = d2.fma(hi, e2.fma(lo, a20));
                a30 = d3.fma(hi, e3.fma(lo, a30));
                bits = IntVector.fromMemorySegment(Simd.I, wd, w1 + i * 2L, LE);
                lo = bits.lanewise(VectorOperators.LSHL, 16).reinterpretAsFloats();
                hi = bits.and(0xFFFF0000).reinterpretAsFloats();
                a01 = d0.fma(hi, e0.fma(lo, a01));
                a11 = d1.fma(hi, e1.fma(lo, a11));
                a21 = d2.fma(hi, e2.fma(lo, a21));
                a31 = d3.fma(hi, e3.fma(lo, a31));
                bits = IntVector.fromMemorySegment(Simd.I, wd, w2 + i * 2L, LE);
                lo = bits.lanewise(VectorOperators.LSHL, 16).reinterpretAsFloats();
                hi = bits.and(0xFFFF0000).reinterpretAsFloats();
                a02 = d0.fma(hi, e0.fma(lo, a02));
                a12 = d1.fma(hi, e1.fma(lo, a12));
                a22 = d2.fma(hi, e2.fma(lo, a22));
                a32 = d3.fma(hi, e3.fma(lo, a32));
                bits = IntVector.fromMemorySegment(Simd.I, wd, w3 + i * 2L, LE);
                lo = bits.lanewise(VectorOperators.LSHL, 16).reinterpretAsFloats();
                hi = bits.and(0xFFFF0000).reinterpretAsFloats();
                a03 = d0.fma(hi, e0.fma(lo, a03));
                a13 = d1.fma(hi, e1.fma(lo, a13));
                a23 = d2.fma(hi, e2.fma(lo, a23));
                a33 = d3.fma(hi, e3.fma(lo, a33));
            }
            a00.intoArray(sums, acc);
            a01.intoArray(sums, acc + LANES);
            a02.intoArray(sums, acc + 2 * LANES);
            a03.intoArray(sums, acc + 3 * LANES);
            a10.intoArray(sums, acc + row);
            a11.intoArray(sums, acc + row + LANES);
            a12.intoArray(sums, acc + row + 2 * LANES);
            a13.intoArray(sums, acc + row + 3 * LANES);
            a20.intoArray(sums, acc + 2 * row);
            a21.intoArray(sums, acc + 2 * row + LANES);
            a22.intoArray(sums, acc + 2 * row + 2 * LANES);
            a23.intoArray(sums, acc + 2 * row + 3 * LANES);
            a30.intoArray(sums, acc + 3 * row);
            a31.intoArray(sums, acc + 3 * row + LANES);
            a32.intoArray(sums, acc + 3 * row + 2 * LANES);
            a33.intoArray(sums, acc + 3 * row + 3 * LANES);
        }
    },
    /** No fused paths: its widening is too long to inline them (a 4-row dot: 5.3 GB/s against 14 through the panel). */
    F16(0, 4, false) {
        @Override
        void rows(Weights w, int o, int numW, int k0, int k1, float[] panel, int dst, int pRow) {
            MemorySegment wd = w.data();
            long src = ((long) o * w.cols() + k0) * 2;
            long wRow = (long) w.cols() * 2;
            for (int i = 0; i < k1 - k0; i += LANES) {
                for (int r = 0; r < numW; r++) {
                    Simd.f16(wd, src + r * wRow + i * 2L).intoArray(panel, dst + r * pRow + i);
                }
            }
        }
    },
    /**
     * The 1-row fused dot for up to 2 x rows, then the panel; with {@code -Dpodserve.kernels.q8Fused=true}, the 1-row
     * dot for 1 row and the 4 × 2 and 4 × 4 ones for 2-23 as in bf16. NOTE: the 4 × n dots load a block's quants as
     * 16-bit pairs, so that they split into the {@link PairLanes} even and odd halves with shifts, scale each
     * weight vector once for all its x rows, and read the scales from a float[] copy ({@link #stageScales}).
     * {@code FewRows 700 -Dq8=true} (2 cores, experts from DRAM) at 2 / 3 / 4 / 8 / 16 / 23 x rows: 20.8 / 18.3 /
     * 18.0 / 10.0 / 5.0 / 3.3 GB/s against 13.3 (two 1-row passes) / 6.6 / 6.4 / 4.4 / 3.6 / 2.9 through the panel;
     * bench-model q8 on 2 cores batch 8 and 32 about 30% faster. Off by default because on the 16-core machine
     * every run with them on had the q8 batch-lane matmuls (the panel decode, code they do not touch) 2-3× slower
     * (the batch-32 LM head 42-72 ms against 20-29), and one run fell to a tenth at batch 8 (the LM head at 8 rows
     * 110 ms against 9), a JIT outcome not yet understood (docs/benchmarks.md, issue 3).
     */
    Q8(Q8Flag.FUSED ? 1 : 2, 4, Q8Flag.FUSED) {
        /** k0 and k1 are multiples of the Q8 block, and a block is whole vectors (LANES divides 32). */
        @Override
        void rows(Weights w, int o, int numW, int k0, int k1, float[] panel, int dst, int pRow) {
            MemorySegment wd = w.data();
            long src = (long) o * w.cols();
            long scales = io.podserve.kernels.Q8.scaleOffset(w, o, 0);
            long scaleRow = (long) WeightFormat.Q8.numBlocks(w.cols()) * 4;
            for (int i = k0; i < k1; i += LANES) {
                long block = (i / io.podserve.kernels.Q8.BLOCK_SIZE) * 4L;
                for (int r = 0; r < numW; r++) {
                    float scale = wd.get(Simd.F32, scales + r * scaleRow + block);
                    Simd.q8(wd, src + (long) r * w.cols() + i).mul(FloatVector.broadcast(F, scale))
                            .intoArray(panel, dst + r * pRow + i - k0);
                }
            }
        }

        @Override
        void dot(Weights w, int o, int rowStride, int numW, MemorySegment x, long xAt, int kv, MemorySegment sums) {
            MemorySegment wd = w.data();
            long wRow = w.cols();
            long scaleRow = (long) WeightFormat.Q8.numBlocks(w.cols()) * 4;
            long w0 = o * wRow;
            long c0 = io.podserve.kernels.Q8.scaleOffset(w, o, 0);
            long wStep = rowStride * wRow;
            long w1 = numW > 1 ? w0 + wStep : w0, w2 = numW > 2 ? w0 + 2 * wStep : w0, w3 = numW > 3 ? w0 + 3 * wStep : w0;
            long cStep = rowStride * scaleRow;
            long c1 = numW > 1 ? c0 + cStep : c0, c2 = numW > 2 ? c0 + 2 * cStep : c0;
            long c3 = numW > 3 ? c0 + 3 * cStep : c0;
            FloatVector a0 = FloatVector.zero(F), a1 = FloatVector.zero(F), a2 = FloatVector.zero(F), a3 = FloatVector.zero(F);
            for (int i = 0; i < kv; i += LANES) {
                long c = (i / io.podserve.kernels.Q8.BLOCK_SIZE) * 4L;
                FloatVector u = FloatVector.fromMemorySegment(F, x, xAt + i * 4L, LE);
                a0 = u.mul(wd.get(Simd.F32, c0 + c)).fma(Simd.q8(wd, w0 + i), a0);
                a1 = u.mul(wd.get(Simd.F32, c1 + c)).fma(Simd.q8(wd, w1 + i), a1);
                a2 = u.mul(wd.get(Simd.F32, c2 + c)).fma(Simd.q8(wd, w2 + i), a2);
                a3 = u.mul(wd.get(Simd.F32, c3 + c)).fma(Simd.q8(wd, w3 + i), a3);
            }
            park(a0, a1, a2, a3, sums);
        }

        /**
         * x in {@link PairLanes} layout: each block's quants loaded as 16-bit pairs (even element in the low byte),
         * sign-extended to ints, and split by shifts into the even and odd elements, scaled once for all x rows.
         */
        @Override
        void dot4x2(Weights w, int o, int rowStride, int numW, float[] x, int xAt, int xRow, int numX, int k0, int k1,
                float[] sums, int acc) {
            MemorySegment wd = w.data();
            long wRow = w.cols();
            long scaleRow = (long) WeightFormat.Q8.numBlocks(w.cols()) * 4;
            long w0 = o * wRow;
            long c0 = io.podserve.kernels.Q8.scaleOffset(w, o, 0);
            long wStep = rowStride * wRow;
            long cStep = rowStride * scaleRow;
            long w1 = numW > 1 ? w0 + wStep : w0, w2 = numW > 2 ? w0 + 2 * wStep : w0, w3 = numW > 3 ? w0 + 3 * wStep : w0;
            long c1 = numW > 1 ? c0 + cStep : c0, c2 = numW > 2 ? c0 + 2 * cStep : c0, c3 = numW > 3 ? c0 + 3 * cStep : c0;
            int x0 = xAt, x1 = numX > 1 ? xAt + xRow : xAt;
            int row = MatmulKernel.DIRECT_ROW_FLOATS;
            FloatVector a00 = FloatVector.fromArray(F, sums, acc);
            FloatVector a01 = FloatVector.fromArray(F, sums, acc + LANES);
            FloatVector a02 = FloatVector.fromArray(F, sums, acc + 2 * LANES);
            FloatVector a03 = FloatVector.fromArray(F, sums, acc + 3 * LANES);
            FloatVector a10 = FloatVector.fromArray(F, sums, acc + row);
            FloatVector a11 = FloatVector.fromArray(F, sums, acc + row + LANES);
            FloatVector a12 = FloatVector.fromArray(F, sums, acc + row + 2 * LANES);
            FloatVector a13 = FloatVector.fromArray(F, sums, acc + row + 3 * LANES);
            for (int s0 = k0; s0 < k1; s0 += SCALE_SPAN) {
                int s1 = Math.min(k1, s0 + SCALE_SPAN);
                stageScales(wd, c0, c1, c2, c3, s0 / io.podserve.kernels.Q8.BLOCK_SIZE, s1 - s0, sums);
                for (int i = s0; i < s1; i += PairLanes.BLOCK) {
                    int c = MatmulKernel.Q8_SCALES_AT + ((i - s0) >>> 5); // this block's staged scale (a block is 32)
                    FloatVector e0 = FloatVector.fromArray(F, x, x0 + i);
                    FloatVector d0 = FloatVector.fromArray(F, x, x0 + i + LANES);
                    FloatVector e1 = FloatVector.fromArray(F, x, x1 + i);
                    FloatVector d1 = FloatVector.fromArray(F, x, x1 + i + LANES);
                    IntVector pairs = (IntVector) ShortVector.fromMemorySegment(Simd.S, wd, w0 + i, LE)
                            .convertShape(VectorOperators.S2I, Simd.I, 0);
                    float scale = sums[c];
                    FloatVector lo = ((FloatVector) pairs.lanewise(VectorOperators.LSHL, 24)
                            .lanewise(VectorOperators.ASHR, 24).convert(VectorOperators.I2F, 0)).mul(scale);
                    FloatVector hi = ((FloatVector) pairs.lanewise(VectorOperators.ASHR, 8)
                            .convert(VectorOperators.I2F, 0)).mul(scale);
                    a00 = d0.fma(hi, e0.fma(lo, a00));
                    a10 = d1.fma(hi, e1.fma(lo, a10));
                    pairs = (IntVector) ShortVector.fromMemorySegment(Simd.S, wd, w1 + i, LE)
                            .convertShape(VectorOperators.S2I, Simd.I, 0);
                    scale = sums[c + LANES];
                    lo = ((FloatVector) pairs.lanewise(VectorOperators.LSHL, 24)
                            .lanewise(VectorOperators.ASHR, 24).convert(VectorOperators.I2F, 0)).mul(scale);
                    hi = ((FloatVector) pairs.lanewise(VectorOperators.ASHR, 8).convert(VectorOperators.I2F, 0)).mul(scale);
                    a01 = d0.fma(hi, e0.fma(lo, a01));
                    a11 = d1.fma(hi, e1.fma(lo, a11));
                    pairs = (IntVector) ShortVector.fromMemorySegment(Simd.S, wd, w2 + i, LE)
                            .convertShape(VectorOperators.S2I, Simd.I, 0);
                    scale = sums[c + 2 * LANES];
                    lo = ((FloatVector) pairs.lanewise(VectorOperators.LSHL, 24)
                            .lanewise(VectorOperators.ASHR, 24).convert(VectorOperators.I2F, 0)).mul(scale);
                    hi = ((FloatVector) pairs.lanewise(VectorOperators.ASHR, 8).convert(VectorOperators.I2F, 0)).mul(scale);
                    a02 = d0.fma(hi, e0.fma(lo, a02));
                    a12 = d1.fma(hi, e1.fma(lo, a12));
                    pairs = (IntVector) ShortVector.fromMemorySegment(Simd.S, wd, w3 + i, LE)
                            .convertShape(VectorOperators.S2I, Simd.I, 0);
                    scale = sums[c + 3 * LANES];
                    lo = ((FloatVector) pairs.lanewise(VectorOperators.LSHL, 24)
                            .lanewise(VectorOperators.ASHR, 24).convert(VectorOperators.I2F, 0)).mul(scale);
                    hi = ((FloatVector) pairs.lanewise(VectorOperators.ASHR, 8).convert(VectorOperators.I2F, 0)).mul(scale);
                    a03 = d0.fma(hi, e0.fma(lo, a03));
                    a13 = d1.fma(hi, e1.fma(lo, a13));
                }
            }
            a00.intoArray(sums, acc);
            a01.intoArray(sums, acc + LANES);
            a02.intoArray(sums, acc + 2 * LANES);
            a03.intoArray(sums, acc + 3 * LANES);
            a10.intoArray(sums, acc + row);
            a11.intoArray(sums, acc + row + LANES);
            a12.intoArray(sums, acc + row + 2 * LANES);
            a13.intoArray(sums, acc + row + 3 * LANES);
        }

        @Override
        void dot4x4(Weights w, int o, int rowStride, int numW, float[] x, int xAt, int xRow, int numX, int k0, int k1,
                float[] sums, int acc) {
            MemorySegment wd = w.data();
            long wRow = w.cols();
            long scaleRow = (long) WeightFormat.Q8.numBlocks(w.cols()) * 4;
            long w0 = o * wRow;
            long c0 = io.podserve.kernels.Q8.scaleOffset(w, o, 0);
            long wStep = rowStride * wRow;
            long cStep = rowStride * scaleRow;
            long w1 = numW > 1 ? w0 + wStep : w0, w2 = numW > 2 ? w0 + 2 * wStep : w0, w3 = numW > 3 ? w0 + 3 * wStep : w0;
            long c1 = numW > 1 ? c0 + cStep : c0, c2 = numW > 2 ? c0 + 2 * cStep : c0, c3 = numW > 3 ? c0 + 3 * cStep : c0;
            int x0 = xAt, x1 = numX > 1 ? xAt + xRow : x0, x2 = numX > 2 ? xAt + 2 * xRow : x1, x3 = numX > 3 ? xAt + 3 * xRow : x2;
            int row = MatmulKernel.DIRECT_ROW_FLOATS;
            FloatVector a00 = FloatVector.fromArray(F, sums, acc);
            FloatVector a01 = FloatVector.fromArray(F, sums, acc + LANES);
            FloatVector a02 = FloatVector.fromArray(F, sums, acc + 2 * LANES);
            FloatVector a03 = FloatVector.fromArray(F, sums, acc + 3 * LANES);
            FloatVector a10 = FloatVector.fromArray(F, sums, acc + row);
            FloatVector a11 = FloatVector.fromArray(F, sums, acc + row + LANES);
            FloatVector a12 = FloatVector.fromArray(F, sums, acc + row + 2 * LANES);
            FloatVector a13 = FloatVector.fromArray(F, sums, acc + row + 3 * LANES);
            FloatVector a20 = FloatVector.fromArray(F, sums, acc + 2 * row);
            FloatVector a21 = FloatVector.fromArray(F, sums, acc + 2 * row + LANES);
            FloatVector a22 = FloatVector.fromArray(F, sums, acc + 2 * row + 2 * LANES);
            FloatVector a23 = FloatVector.fromArray(F, sums, acc + 2 * row + 3 * LANES);
            FloatVector a30 = FloatVector.fromArray(F, sums, acc + 3 * row);
            FloatVector a31 = FloatVector.fromArray(F, sums, acc + 3 * row + LANES);
            FloatVector a32 = FloatVector.fromArray(F, sums, acc + 3 * row + 2 * LANES);
            FloatVector a33 = FloatVector.fromArray(F, sums, acc + 3 * row + 3 * LANES);
            for (int s0 = k0; s0 < k1; s0 += SCALE_SPAN) {
                int s1 = Math.min(k1, s0 + SCALE_SPAN);
                stageScales(wd, c0, c1, c2, c3, s0 / io.podserve.kernels.Q8.BLOCK_SIZE, s1 - s0, sums);
                for (int i = s0; i < s1; i += PairLanes.BLOCK) {
                    int c = MatmulKernel.Q8_SCALES_AT + ((i - s0) >>> 5); // this block's staged scale (a block is 32)
                    FloatVector e0 = FloatVector.fromArray(F, x, x0 + i);
                    FloatVector d0 = FloatVector.fromArray(F, x, x0 + i + LANES);
                    FloatVector e1 = FloatVector.fromArray(F, x, x1 + i);
                    FloatVector d1 = FloatVector.fromArray(F, x, x1 + i + LANES);
                    FloatVector e2 = FloatVector.fromArray(F, x, x2 + i);
                    FloatVector d2 = FloatVector.fromArray(F, x, x2 + i + LANES);
                    FloatVector e3 = FloatVector.fromArray(F, x, x3 + i);
                    FloatVector d3 = FloatVector.fromArray(F, x, x3 + i + LANES);
                    IntVector pairs = (IntVector) ShortVector.fromMemorySegment(Simd.S, wd, w0 + i, LE)
                            .convertShape(VectorOperators.S2I, Simd.I, 0);
                    float scale = sums[c];
                    FloatVector lo = ((FloatVector) pairs.lanewise(VectorOperators.LSHL, 24)
                            .lanewise(VectorOperators.ASHR, 24).convert(VectorOperators.I2F, 0)).mul(scale);
                    FloatVector hi = ((FloatVector) pairs.lanewise(VectorOperators.ASHR, 8)
                            .convert(VectorOperators.I2F, 0)).mul(scale);
                    a00 = d0.fma(hi, e0.fma(lo, a00));
                    a10 = d1.fma(hi, e1.fma(lo, a10));
                    a20 = d2.fma(hi, e2.fma(lo, a20));
                    a30 = d3.fma(hi, e3.fma(lo, a30));
                    pairs = (IntVector) ShortVector.fromMemorySegment(Simd.S, wd, w1 + i, LE)
                            .convertShape(VectorOperators.S2I, Simd.I, 0);
                    scale = sums[c + LANES];
                    lo = ((FloatVector) pairs.lanewise(VectorOperators.LSHL, 24)
                            .lanewise(VectorOperators.ASHR, 24).convert(VectorOperators.I2F, 0)).mul(scale);
                    hi = ((FloatVector) pairs.lanewise(VectorOperators.ASHR, 8).convert(VectorOperators.I2F, 0)).mul(scale);
                    a01 = d0.fma(hi, e0.fma(lo, a01));
                    a11 = d1.fma(hi, e1.fma(lo, a11));
                    a21 = d2.fma(hi, e2.fma(lo, a21));
                    a31 = d3.fma(hi, e3.fma(lo, a31));
                    pairs = (IntVector) ShortVector.fromMemorySegment(Simd.S, wd, w2 + i, LE)
                            .convertShape(VectorOperators.S2I, Simd.I, 0);
                    scale = sums[c + 2 * LANES];
                    lo = ((FloatVector) pairs.lanewise(VectorOperators.LSHL, 24)
                            .lanewise(VectorOperators.ASHR, 24).convert(VectorOperators.I2F, 0)).mul(scale);
                    hi = ((FloatVector) pairs.lanewise(VectorOperators.ASHR, 8).convert(VectorOperators.I2F, 0)).mul(scale);
                    a02 = d0.fma(hi, e0.fma(lo, a02));
                    a12 = d1.fma(hi, e1.fma(lo, a12));
                    a22 = d2.fma(hi, e2.fma(lo, a22));
                    a32 = d3.fma(hi, e3.fma(lo, a32));
                    pairs = (IntVector) ShortVector.fromMemorySegment(Simd.S, wd, w3 + i, LE)
                            .convertShape(VectorOperators.S2I, Simd.I, 0);
                    scale = sums[c + 3 * LANES];
                    lo = ((FloatVector) pairs.lanewise(VectorOperators.LSHL, 24)
                            .lanewise(VectorOperators.ASHR, 24).convert(VectorOperators.I2F, 0)).mul(scale);
                    hi = ((FloatVector) pairs.lanewise(VectorOperators.ASHR, 8).convert(VectorOperators.I2F, 0)).mul(scale);
                    a03 = d0.fma(hi, e0.fma(lo, a03));
                    a13 = d1.fma(hi, e1.fma(lo, a13));
                    a23 = d2.fma(hi, e2.fma(lo, a23));
                    a33 = d3.fma(hi, e3.fma(lo, a33));
                }
            }
            a00.intoArray(sums, acc);
            a01.intoArray(sums, acc + LANES);
            a02.intoArray(sums, acc + 2 * LANES);
            a03.intoArray(sums, acc + 3 * LANES);
            a10.intoArray(sums, acc + row);
            a11.intoArray(sums, acc + row + LANES);
            a12.intoArray(sums, acc + row + 2 * LANES);
            a13.intoArray(sums, acc + row + 3 * LANES);
            a20.intoArray(sums, acc + 2 * row);
            a21.intoArray(sums, acc + 2 * row + LANES);
            a22.intoArray(sums, acc + 2 * row + 2 * LANES);
            a23.intoArray(sums, acc + 2 * row + 3 * LANES);
            a30.intoArray(sums, acc + 3 * row);
            a31.intoArray(sums, acc + 3 * row + LANES);
            a32.intoArray(sums, acc + 3 * row + 2 * LANES);
            a33.intoArray(sums, acc + 3 * row + 3 * LANES);
        }

        /**
         * Copies the scales of blocks {@code [block, block + ceil(n / 32))} of the 4 weight rows whose scales start at
         * c0..c3 into {@code sums[Q8_SCALES_AT..]}, a row every {@link Simd#LANES} floats: one vector load a row when
         * the span is whole. NOTE: a scalar segment read per block and row inside the 4 × n loops had them at
         * 9.7-10.5 GB/s at 4 x rows and 4.9 at 8 ({@code FewRows 700 -Dq8=true}, 2 cores); from the float[], 15.1-15.5 and 9.2.
         */
        private static void stageScales(MemorySegment wd, long c0, long c1, long c2, long c3, int block, int n,
                float[] sums) {
            int at = MatmulKernel.Q8_SCALES_AT;
            long from = block * 4L;
            if (n == SCALE_SPAN) {
                FloatVector.fromMemorySegment(F, wd, c0 + from, LE).intoArray(sums, at);
                FloatVector.fromMemorySegment(F, wd, c1 + from, LE).intoArray(sums, at + LANES);
                FloatVector.fromMemorySegment(F, wd, c2 + from, LE).intoArray(sums, at + 2 * LANES);
                FloatVector.fromMemorySegment(F, wd, c3 + from, LE).intoArray(sums, at + 3 * LANES);
                return;
            }
            int blocks = Math.ceilDiv(n, io.podserve.kernels.Q8.BLOCK_SIZE);
            for (int j = 0; j < blocks; j++) {
                long b = from + j * 4L;
                sums[at + j] = wd.get(Simd.F32, c0 + b);
                sums[at + LANES + j] = wd.get(Simd.F32, c1 + b);
                sums[at + 2 * LANES + j] = wd.get(Simd.F32, c2 + b);
                sums[at + 3 * LANES + j] = wd.get(Simd.F32, c3 + b);
            }
        }
    };

    /** Whether q8 takes the 4 × n fused dots ({@code -Dpodserve.kernels.q8Fused=true}); a class of its own, read by a constant's arguments. */
    private static final class Q8Flag {
        static final boolean FUSED = Boolean.getBoolean("podserve.kernels.q8Fused");
    }

    /** Elements whose Q8 scales one vector holds: the span of the q8 4 × n dots' staged scales. */
    private static final int SCALE_SPAN = LANES * io.podserve.kernels.Q8.BLOCK_SIZE;

    /** x rows up to which a matmul takes {@link #dot}, one x row at a time. */
    final int dotRows;
    /**
     * Weight rows per {@link #dot}: 8 for bf16, 4 for the others. NOTE: each weight row is a memory stream of
     * its own, and more streams in flight per core read faster: 700 bf16 experts (2.2 GB, from DRAM) at 1 x
     * row on the 2-core machine read 23.6-24.0 GB/s (768 × 2048) and 22.1-22.2 (2048 × 768) with 4 rows per
     * dot, 25.2-25.3 and 23.6-23.8 with 8; bench-model batch 1 took 64.8-65.9 against 68.1-70.1 ms a step.
     */
    final int dotWidth;
    /**
     * x rows up to which (past {@link #dotRows}) a matmul takes {@link #dot4x2} and {@link #dot4x4}: 23 in the
     * formats that have them (bf16; q8 with {@code -Dpodserve.kernels.q8Fused=true}), just under {@link MatmulKernel#LANES_MIN_BATCH};
     * {@code -Dpodserve.kernels.dot4x2Rows=N} moves it (1 turns the path off). NOTE: on the 2-core machine, 110
     * grouped bf16 expert matmuls
     * (768 × 2048) read 22-23 GB/s through the 4 × 2 dot with 2 x rows against 15 through the panel,
     * 17 against 13-14 with 3-4 rows, 11-12 against 11 with 8; from 12 rows the two are within 10%
     * (the panel ahead: 16 rows 6.7 against 7.0, 23 rows 4.8 against 5.4).
     */
    final int dot4x2Rows;

    PanelDecode(int dotRows, int dotWidth, boolean hasDot4x2) {
        this.dotRows = dotRows;
        this.dotWidth = dotWidth;
        this.dot4x2Rows = hasDot4x2 ? Integer.getInteger("podserve.kernels.dot4x2Rows", 23) : 0;
    }

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
    abstract void rows(Weights w, int o, int numW, int k0, int k1, float[] panel, int dst, int pRow);

    /**
     * Fused path for one or two x rows: leaves {@code x[.][i] · W[o + r · rowStride][i]} over
     * {@code i < kv} for {@code r <} {@link #dotWidth}, lane-wise, as that many vectors at the start of
     * {@code sums}, weights read straight from memory;
     * rows {@code r >= numW} repeat row o (their sums are ignored). NOTE: this small per-format twin of
     * the panel path exists because the panel's extra store and reload cost a third of batch-1
     * decode speed (bench-model bf16 batch 1: 87 ms/step with direct 1 × 4 dots, 117-121 ms through
     * the panel); MoE experts mostly see 1 or 2 rows, so this is their path too.
     */
    void dot(Weights w, int o, int rowStride, int numW, MemorySegment x, long xAt, int kv, MemorySegment sums) {
        throw new IllegalStateException(this + " has no fused 1-row path");
    }

    /**
     * Fused path for several x rows, two at a time (the x rows at {@code x[xAt..]} and {@code x[xAt + xRow..]}, in
     * {@link PairLanes} layout, {@code k0} and {@code k1} multiples of its block; the second row repeats the
     * first when {@code numX} is 1): adds {@code x[j][i] · W[o + r · rowStride][i]}
     * over {@code k0 <= i < k1}, lane-wise (lanes mix a block's even and odd elements), to the vectors at
     * {@code sums[acc + j · DIRECT_ROW_FLOATS + r · LANES]} for {@code j < 2, r < 4}; rows past numW repeat
     * row o (their sums are garbage for the caller to ignore). Each weight vector is widened once, in
     * registers, for both x rows. NOTE: an earlier 4 × 4 body, which read x from a segment rather than from this
     * float[], outgrew C2's inlining budget when it was recompiled (after a second segment class reached it, and at
     * random on the 16-core machine: one bench-model call measured batch-8 steps of 221 ms against 51-67)
     * and ran on boxed vectors at a tenth of its speed; {@link #dot4x4}, over the PairLanes float[], compiles whole
     * (PrintInlining: every load intrinsified, also after the second segment class's recompile). It costs about a fifth at
     * 3-16 x rows on the 2-core machine (3-4 rows 18.4 GB/s against 22-23, 8 rows 12 against 14-15), and
     * beat a 2 × 4 body (8 accumulators, x rows 4 at a time) at 2-3 rows (22.9 and 18.4 against 16.5 and 15.3).
     */
    void dot4x2(Weights w, int o, int rowStride, int numW, float[] x, int xAt, int xRow, int numX, int k0, int k1,
            float[] sums, int acc) {
        throw new IllegalStateException(this + " has no 4 × 2 path");
    }

    /**
     * {@link #dot4x2} for up to 4 x rows at once (rows past {@code numX} repeat the last), into
     * {@code sums[acc + j · DIRECT_ROW_FLOATS + r · LANES]} for {@code j < 4}. NOTE: called for 3 or 4 rows;
     * at 2 rows it is 2-5% slower than {@link #dot4x2} (twice the FMAs), and as the last pass of 5-6 rows 9-12%
     * (FewRows 700, 2 cores).
     */
    void dot4x4(Weights w, int o, int rowStride, int numW, float[] x, int xAt, int xRow, int numX, int k0, int k1,
            float[] sums, int acc) {
        throw new IllegalStateException(this + " has no 4 × 4 path");
    }

    /** Parks four accumulators at the start of scratch (the JDK's force-inlined stores only). */
    private static void park(FloatVector a0, FloatVector a1, FloatVector a2, FloatVector a3, MemorySegment sums) {
        a0.intoMemorySegment(sums, 0, LE);
        a1.intoMemorySegment(sums, MatmulTiles.VECTOR_BYTES, LE);
        a2.intoMemorySegment(sums, 2 * MatmulTiles.VECTOR_BYTES, LE);
        a3.intoMemorySegment(sums, 3 * MatmulTiles.VECTOR_BYTES, LE);
    }
}
