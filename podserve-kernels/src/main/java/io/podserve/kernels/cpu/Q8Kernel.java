package io.podserve.kernels.cpu;

import java.lang.foreign.MemorySegment;

import io.podserve.kernels.Q8;
import io.podserve.kernels.Weights;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;

import static io.podserve.kernels.cpu.Simd.F;
import static io.podserve.kernels.cpu.Simd.F32;
import static io.podserve.kernels.cpu.Simd.I8;
import static io.podserve.kernels.cpu.Simd.LANES;

/**
 * Matmul over {@link Q8} weights, dequantized on the fly: per 32-element block, int8 quants widen
 * to f32 and are multiplied by the block's scale, then feed the same FMAs as the float formats.
 * Invariant: {@code k0} is a multiple of the block size ({@link MatmulKernel#K_BLOCK} is), so a
 * k-range covers whole blocks except the partial last block of a row, done in the scalar tail.
 */
final class Q8Kernel extends MatmulKernel {
    static final Q8Kernel INSTANCE = new Q8Kernel();
    private static final int BLOCK = Q8.BLOCK_SIZE;

    private Q8Kernel() {
    }

    @Override
    void tile4x2(MemorySegment x, Weights w, MemorySegment y, int b, int o, int k0, int k1, boolean accumulate) {
        MemorySegment wd = w.data();
        long in = w.cols();
        long x0 = b * in * 4; // x rows b..b+3, one row apart
        long x1 = x0 + in * 4;
        long x2 = x1 + in * 4;
        long x3 = x2 + in * 4;
        long q0 = o * in; // quants of weight rows o, o+1
        long q1 = q0 + in;
        long c0 = Q8.scaleOffset(w, o, 0); // scales of rows o, o+1
        long c1 = Q8.scaleOffset(w, o + 1, 0);
        FloatVector a00 = FloatVector.zero(F), a01 = FloatVector.zero(F);
        FloatVector a10 = FloatVector.zero(F), a11 = FloatVector.zero(F);
        FloatVector a20 = FloatVector.zero(F), a21 = FloatVector.zero(F);
        FloatVector a30 = FloatVector.zero(F), a31 = FloatVector.zero(F);
        int fullEnd = k1 - (k1 - k0) % BLOCK;
        for (int i = k0; i < fullEnd; i += BLOCK) {
            FloatVector scale0 = FloatVector.broadcast(F, wd.get(F32, c0 + i / BLOCK * 4L));
            FloatVector scale1 = FloatVector.broadcast(F, wd.get(F32, c1 + i / BLOCK * 4L));
            for (int j = i; j < i + BLOCK; j += LANES) {
                FloatVector v0 = Simd.q8(wd, q0 + j).mul(scale0);
                FloatVector v1 = Simd.q8(wd, q1 + j).mul(scale1);
                FloatVector u = Simd.f32(x, x0 + j * 4L);
                a00 = u.fma(v0, a00);
                a01 = u.fma(v1, a01);
                u = Simd.f32(x, x1 + j * 4L);
                a10 = u.fma(v0, a10);
                a11 = u.fma(v1, a11);
                u = Simd.f32(x, x2 + j * 4L);
                a20 = u.fma(v0, a20);
                a21 = u.fma(v1, a21);
                u = Simd.f32(x, x3 + j * 4L);
                a30 = u.fma(v0, a30);
                a31 = u.fma(v1, a31);
            }
        }
        float s00 = a00.reduceLanes(VectorOperators.ADD), s01 = a01.reduceLanes(VectorOperators.ADD);
        float s10 = a10.reduceLanes(VectorOperators.ADD), s11 = a11.reduceLanes(VectorOperators.ADD);
        float s20 = a20.reduceLanes(VectorOperators.ADD), s21 = a21.reduceLanes(VectorOperators.ADD);
        float s30 = a30.reduceLanes(VectorOperators.ADD), s31 = a31.reduceLanes(VectorOperators.ADD);
        for (int i = fullEnd; i < k1; i++) {
            float v0 = wd.get(I8, q0 + i) * wd.get(F32, c0 + i / BLOCK * 4L);
            float v1 = wd.get(I8, q1 + i) * wd.get(F32, c1 + i / BLOCK * 4L);
            float u0 = x.get(F32, x0 + i * 4L), u1 = x.get(F32, x1 + i * 4L);
            float u2 = x.get(F32, x2 + i * 4L), u3 = x.get(F32, x3 + i * 4L);
            s00 += u0 * v0;
            s01 += u0 * v1;
            s10 += u1 * v0;
            s11 += u1 * v1;
            s20 += u2 * v0;
            s21 += u2 * v1;
            s30 += u3 * v0;
            s31 += u3 * v1;
        }
        int out = w.rows();
        store(y, out, b, o, s00, accumulate);
        store(y, out, b, o + 1, s01, accumulate);
        store(y, out, b + 1, o, s10, accumulate);
        store(y, out, b + 1, o + 1, s11, accumulate);
        store(y, out, b + 2, o, s20, accumulate);
        store(y, out, b + 2, o + 1, s21, accumulate);
        store(y, out, b + 3, o, s30, accumulate);
        store(y, out, b + 3, o + 1, s31, accumulate);
    }

    @Override
    void tile1x4(MemorySegment x, Weights w, MemorySegment y, int b, int o, int k0, int k1, boolean accumulate) {
        MemorySegment wd = w.data();
        long in = w.cols();
        long x0 = b * in * 4;
        long q0 = o * in; // quants of rows o..o+3, one row apart
        long q1 = q0 + in;
        long q2 = q1 + in;
        long q3 = q2 + in;
        long blockBytes = (long) w.format().numBlocks(w.cols()) * 4; // one row of scales
        long c0 = Q8.scaleOffset(w, o, 0);
        long c1 = c0 + blockBytes;
        long c2 = c1 + blockBytes;
        long c3 = c2 + blockBytes;
        FloatVector a0 = FloatVector.zero(F), a1 = FloatVector.zero(F);
        FloatVector a2 = FloatVector.zero(F), a3 = FloatVector.zero(F);
        int fullEnd = k1 - (k1 - k0) % BLOCK;
        for (int i = k0; i < fullEnd; i += BLOCK) {
            long c = i / BLOCK * 4L;
            FloatVector scale0 = FloatVector.broadcast(F, wd.get(F32, c0 + c));
            FloatVector scale1 = FloatVector.broadcast(F, wd.get(F32, c1 + c));
            FloatVector scale2 = FloatVector.broadcast(F, wd.get(F32, c2 + c));
            FloatVector scale3 = FloatVector.broadcast(F, wd.get(F32, c3 + c));
            for (int j = i; j < i + BLOCK; j += LANES) {
                FloatVector u = Simd.f32(x, x0 + j * 4L);
                a0 = u.fma(Simd.q8(wd, q0 + j).mul(scale0), a0);
                a1 = u.fma(Simd.q8(wd, q1 + j).mul(scale1), a1);
                a2 = u.fma(Simd.q8(wd, q2 + j).mul(scale2), a2);
                a3 = u.fma(Simd.q8(wd, q3 + j).mul(scale3), a3);
            }
        }
        float s0 = a0.reduceLanes(VectorOperators.ADD), s1 = a1.reduceLanes(VectorOperators.ADD);
        float s2 = a2.reduceLanes(VectorOperators.ADD), s3 = a3.reduceLanes(VectorOperators.ADD);
        for (int i = fullEnd; i < k1; i++) {
            float u = x.get(F32, x0 + i * 4L);
            long c = i / BLOCK * 4L;
            s0 += u * (wd.get(I8, q0 + i) * wd.get(F32, c0 + c));
            s1 += u * (wd.get(I8, q1 + i) * wd.get(F32, c1 + c));
            s2 += u * (wd.get(I8, q2 + i) * wd.get(F32, c2 + c));
            s3 += u * (wd.get(I8, q3 + i) * wd.get(F32, c3 + c));
        }
        int out = w.rows();
        store(y, out, b, o, s0, accumulate);
        store(y, out, b, o + 1, s1, accumulate);
        store(y, out, b, o + 2, s2, accumulate);
        store(y, out, b, o + 3, s3, accumulate);
    }

    @Override
    void tile1x1(MemorySegment x, Weights w, MemorySegment y, int b, int o, int k0, int k1, boolean accumulate) {
        MemorySegment wd = w.data();
        long in = w.cols();
        long x0 = b * in * 4;
        long q0 = o * in;
        long c0 = Q8.scaleOffset(w, o, 0);
        FloatVector a = FloatVector.zero(F);
        int fullEnd = k1 - (k1 - k0) % BLOCK;
        for (int i = k0; i < fullEnd; i += BLOCK) {
            FloatVector scale = FloatVector.broadcast(F, wd.get(F32, c0 + i / BLOCK * 4L));
            for (int j = i; j < i + BLOCK; j += LANES) {
                a = Simd.f32(x, x0 + j * 4L).fma(Simd.q8(wd, q0 + j).mul(scale), a);
            }
        }
        float s = a.reduceLanes(VectorOperators.ADD);
        for (int i = fullEnd; i < k1; i++) {
            s += x.get(F32, x0 + i * 4L) * (wd.get(I8, q0 + i) * wd.get(F32, c0 + i / BLOCK * 4L));
        }
        store(y, w.rows(), b, o, s, accumulate);
    }
}
