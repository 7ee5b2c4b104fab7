package io.podserve.kernels.cpu;

import java.lang.foreign.MemorySegment;

import io.podserve.kernels.Q8;
import io.podserve.kernels.Weights;
import jdk.incubator.vector.FloatVector;

import static io.podserve.kernels.cpu.Simd.F;
import static io.podserve.kernels.cpu.Simd.F32;
import static io.podserve.kernels.cpu.Simd.LANES;
import static io.podserve.kernels.cpu.Simd.LE;
import static jdk.incubator.vector.VectorOperators.ADD;

/**
 * Matmul over {@link Q8} weights, dequantized on the fly: per 32-element block, the int8 quants
 * widen to f32 and are multiplied by the block's scale, then feed the same FMAs as the float formats.
 *
 * <p>Each tile keeps one accumulator vector per (x row, weight row) pair in registers, loads each
 * weight vector once for all its x rows, and leaves one horizontal sum per output. Tiles cover
 * {@code [k0, kv)}, whole multiples of {@link MatmulKernel#STEP}; the caller adds the scalar tail.
 * Spelled out shape by shape, one line per accumulator, so each reads as straight-line math;
 * stateless.
 */
final class Q8Kernel extends MatmulKernel {
    static final Q8Kernel INSTANCE = new Q8Kernel();
    private static final int BLOCK = Q8.BLOCK_SIZE;

    private Q8Kernel() {
    }

    @Override
    void tileTall(MemorySegment x, Weights w, MemorySegment y, int b, int o, int k0, int kv, boolean accumulate,
            MemorySegment sums) {
        MemorySegment wd = w.data();
        long in = w.cols();
        long xRow = in * 4; // bytes from one x row to the next
        long x0 = b * xRow; // x row b; row b + j is j · xRow further
        long scaleRow = (long) w.format().numBlocks(w.cols()) * 4; // bytes of one row's scales
        long q0 = o * in; // quants of weight row o + 0
        long q1 = q0 + in; // quants of weight row o + 1
        long c0 = Q8.scaleOffset(w, o, 0); // scales of weight row o + 0
        long c1 = c0 + scaleRow; // scales of weight row o + 1
        FloatVector a00 = FloatVector.zero(F), a01 = FloatVector.zero(F);
        FloatVector a10 = FloatVector.zero(F), a11 = FloatVector.zero(F);
        FloatVector a20 = FloatVector.zero(F), a21 = FloatVector.zero(F);
        FloatVector a30 = FloatVector.zero(F), a31 = FloatVector.zero(F);
        FloatVector a40 = FloatVector.zero(F), a41 = FloatVector.zero(F);
        FloatVector a50 = FloatVector.zero(F), a51 = FloatVector.zero(F);
        FloatVector a60 = FloatVector.zero(F), a61 = FloatVector.zero(F);
        FloatVector a70 = FloatVector.zero(F), a71 = FloatVector.zero(F);
        for (int block = k0; block < kv; block += BLOCK) {
            long c = block / BLOCK * 4L;
            FloatVector scale0 = FloatVector.broadcast(F, wd.get(F32, c0 + c));
            FloatVector scale1 = FloatVector.broadcast(F, wd.get(F32, c1 + c));
            for (int i = block; i < block + BLOCK; i += LANES) {
                FloatVector v0 = Simd.q8(wd, q0 + i).mul(scale0);
                FloatVector v1 = Simd.q8(wd, q1 + i).mul(scale1);
                FloatVector u = Simd.f32(x, x0 + i * 4L);
                a00 = u.fma(v0, a00);
                a01 = u.fma(v1, a01);
                u = Simd.f32(x, x0 + xRow + i * 4L);
                a10 = u.fma(v0, a10);
                a11 = u.fma(v1, a11);
                u = Simd.f32(x, x0 + 2 * xRow + i * 4L);
                a20 = u.fma(v0, a20);
                a21 = u.fma(v1, a21);
                u = Simd.f32(x, x0 + 3 * xRow + i * 4L);
                a30 = u.fma(v0, a30);
                a31 = u.fma(v1, a31);
                u = Simd.f32(x, x0 + 4 * xRow + i * 4L);
                a40 = u.fma(v0, a40);
                a41 = u.fma(v1, a41);
                u = Simd.f32(x, x0 + 5 * xRow + i * 4L);
                a50 = u.fma(v0, a50);
                a51 = u.fma(v1, a51);
                u = Simd.f32(x, x0 + 6 * xRow + i * 4L);
                a60 = u.fma(v0, a60);
                a61 = u.fma(v1, a61);
                u = Simd.f32(x, x0 + 7 * xRow + i * 4L);
                a70 = u.fma(v0, a70);
                a71 = u.fma(v1, a71);
            }
        }
        // Lane sums wait in scratch, in [x row][weight row] order; flush reduces them outside this
        // method, keeping it small enough for C2 to inline every vector operation.
        a00.intoMemorySegment(sums, 0 * VECTOR_BYTES, LE);
        a01.intoMemorySegment(sums, 1 * VECTOR_BYTES, LE);
        a10.intoMemorySegment(sums, 2 * VECTOR_BYTES, LE);
        a11.intoMemorySegment(sums, 3 * VECTOR_BYTES, LE);
        a20.intoMemorySegment(sums, 4 * VECTOR_BYTES, LE);
        a21.intoMemorySegment(sums, 5 * VECTOR_BYTES, LE);
        a30.intoMemorySegment(sums, 6 * VECTOR_BYTES, LE);
        a31.intoMemorySegment(sums, 7 * VECTOR_BYTES, LE);
        a40.intoMemorySegment(sums, 8 * VECTOR_BYTES, LE);
        a41.intoMemorySegment(sums, 9 * VECTOR_BYTES, LE);
        a50.intoMemorySegment(sums, 10 * VECTOR_BYTES, LE);
        a51.intoMemorySegment(sums, 11 * VECTOR_BYTES, LE);
        a60.intoMemorySegment(sums, 12 * VECTOR_BYTES, LE);
        a61.intoMemorySegment(sums, 13 * VECTOR_BYTES, LE);
        a70.intoMemorySegment(sums, 14 * VECTOR_BYTES, LE);
        a71.intoMemorySegment(sums, 15 * VECTOR_BYTES, LE);
        flush(sums, y, w.rows(), b, 8, o, 2, accumulate);
    }

    @Override
    void tileMid(MemorySegment x, Weights w, MemorySegment y, int b, int o, int k0, int kv, boolean accumulate,
            MemorySegment sums) {
        MemorySegment wd = w.data();
        long in = w.cols();
        long xRow = in * 4; // bytes from one x row to the next
        long x0 = b * xRow; // x row b; row b + j is j · xRow further
        long scaleRow = (long) w.format().numBlocks(w.cols()) * 4; // bytes of one row's scales
        long q0 = o * in; // quants of weight row o + 0
        long q1 = q0 + in; // quants of weight row o + 1
        long c0 = Q8.scaleOffset(w, o, 0); // scales of weight row o + 0
        long c1 = c0 + scaleRow; // scales of weight row o + 1
        FloatVector a00 = FloatVector.zero(F), a01 = FloatVector.zero(F);
        FloatVector a10 = FloatVector.zero(F), a11 = FloatVector.zero(F);
        FloatVector a20 = FloatVector.zero(F), a21 = FloatVector.zero(F);
        FloatVector a30 = FloatVector.zero(F), a31 = FloatVector.zero(F);
        for (int block = k0; block < kv; block += BLOCK) {
            long c = block / BLOCK * 4L;
            FloatVector scale0 = FloatVector.broadcast(F, wd.get(F32, c0 + c));
            FloatVector scale1 = FloatVector.broadcast(F, wd.get(F32, c1 + c));
            for (int i = block; i < block + BLOCK; i += LANES) {
                FloatVector v0 = Simd.q8(wd, q0 + i).mul(scale0);
                FloatVector v1 = Simd.q8(wd, q1 + i).mul(scale1);
                FloatVector u = Simd.f32(x, x0 + i * 4L);
                a00 = u.fma(v0, a00);
                a01 = u.fma(v1, a01);
                u = Simd.f32(x, x0 + xRow + i * 4L);
                a10 = u.fma(v0, a10);
                a11 = u.fma(v1, a11);
                u = Simd.f32(x, x0 + 2 * xRow + i * 4L);
                a20 = u.fma(v0, a20);
                a21 = u.fma(v1, a21);
                u = Simd.f32(x, x0 + 3 * xRow + i * 4L);
                a30 = u.fma(v0, a30);
                a31 = u.fma(v1, a31);
            }
        }
        // Lane sums wait in scratch, in [x row][weight row] order; flush reduces them outside this
        // method, keeping it small enough for C2 to inline every vector operation.
        a00.intoMemorySegment(sums, 0 * VECTOR_BYTES, LE);
        a01.intoMemorySegment(sums, 1 * VECTOR_BYTES, LE);
        a10.intoMemorySegment(sums, 2 * VECTOR_BYTES, LE);
        a11.intoMemorySegment(sums, 3 * VECTOR_BYTES, LE);
        a20.intoMemorySegment(sums, 4 * VECTOR_BYTES, LE);
        a21.intoMemorySegment(sums, 5 * VECTOR_BYTES, LE);
        a30.intoMemorySegment(sums, 6 * VECTOR_BYTES, LE);
        a31.intoMemorySegment(sums, 7 * VECTOR_BYTES, LE);
        flush(sums, y, w.rows(), b, 4, o, 2, accumulate);
    }

    @Override
    void tile1x4(MemorySegment x, Weights w, MemorySegment y, int b, int o, int k0, int kv, boolean accumulate,
            MemorySegment sums) {
        MemorySegment wd = w.data();
        long in = w.cols();
        long xRow = in * 4; // bytes from one x row to the next
        long x0 = b * xRow; // x row b; row b + j is j · xRow further
        long scaleRow = (long) w.format().numBlocks(w.cols()) * 4; // bytes of one row's scales
        long q0 = o * in; // quants of weight row o + 0
        long q1 = q0 + in; // quants of weight row o + 1
        long q2 = q1 + in; // quants of weight row o + 2
        long q3 = q2 + in; // quants of weight row o + 3
        long c0 = Q8.scaleOffset(w, o, 0); // scales of weight row o + 0
        long c1 = c0 + scaleRow; // scales of weight row o + 1
        long c2 = c1 + scaleRow; // scales of weight row o + 2
        long c3 = c2 + scaleRow; // scales of weight row o + 3
        FloatVector a00 = FloatVector.zero(F), a01 = FloatVector.zero(F), a02 = FloatVector.zero(F), a03 = FloatVector.zero(F);
        for (int block = k0; block < kv; block += BLOCK) {
            long c = block / BLOCK * 4L;
            FloatVector scale0 = FloatVector.broadcast(F, wd.get(F32, c0 + c));
            FloatVector scale1 = FloatVector.broadcast(F, wd.get(F32, c1 + c));
            FloatVector scale2 = FloatVector.broadcast(F, wd.get(F32, c2 + c));
            FloatVector scale3 = FloatVector.broadcast(F, wd.get(F32, c3 + c));
            for (int i = block; i < block + BLOCK; i += LANES) {
                FloatVector v0 = Simd.q8(wd, q0 + i).mul(scale0);
                FloatVector v1 = Simd.q8(wd, q1 + i).mul(scale1);
                FloatVector v2 = Simd.q8(wd, q2 + i).mul(scale2);
                FloatVector v3 = Simd.q8(wd, q3 + i).mul(scale3);
                FloatVector u = Simd.f32(x, x0 + i * 4L);
                a00 = u.fma(v0, a00);
                a01 = u.fma(v1, a01);
                a02 = u.fma(v2, a02);
                a03 = u.fma(v3, a03);
            }
        }
        // Lane sums wait in scratch, in [x row][weight row] order; flush reduces them outside this
        // method, keeping it small enough for C2 to inline every vector operation.
        a00.intoMemorySegment(sums, 0 * VECTOR_BYTES, LE);
        a01.intoMemorySegment(sums, 1 * VECTOR_BYTES, LE);
        a02.intoMemorySegment(sums, 2 * VECTOR_BYTES, LE);
        a03.intoMemorySegment(sums, 3 * VECTOR_BYTES, LE);
        flush(sums, y, w.rows(), b, 1, o, 4, accumulate);
    }

    @Override
    void tile1x1(MemorySegment x, Weights w, MemorySegment y, int b, int o, int k0, int kv, boolean accumulate,
            MemorySegment sums) {
        MemorySegment wd = w.data();
        long in = w.cols();
        long xRow = in * 4; // bytes from one x row to the next
        long x0 = b * xRow; // x row b; row b + j is j · xRow further
        long scaleRow = (long) w.format().numBlocks(w.cols()) * 4; // bytes of one row's scales
        long q0 = o * in; // quants of weight row o + 0
        long c0 = Q8.scaleOffset(w, o, 0); // scales of weight row o + 0
        FloatVector a00 = FloatVector.zero(F);
        for (int block = k0; block < kv; block += BLOCK) {
            long c = block / BLOCK * 4L;
            FloatVector scale0 = FloatVector.broadcast(F, wd.get(F32, c0 + c));
            for (int i = block; i < block + BLOCK; i += LANES) {
                FloatVector v0 = Simd.q8(wd, q0 + i).mul(scale0);
                FloatVector u = Simd.f32(x, x0 + i * 4L);
                a00 = u.fma(v0, a00);
            }
        }
        store(y, w.rows(), b, o, a00.reduceLanes(ADD), accumulate);
    }
}
