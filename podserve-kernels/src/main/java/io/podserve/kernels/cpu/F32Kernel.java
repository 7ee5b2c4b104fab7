package io.podserve.kernels.cpu;

import java.lang.foreign.MemorySegment;

import io.podserve.kernels.Weights;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;

import static io.podserve.kernels.cpu.Simd.F;
import static io.podserve.kernels.cpu.Simd.F32;
import static io.podserve.kernels.cpu.Simd.LANES;

/**
 * Matmul over F32 weights: plain f32 loads. Each tile: vector body over whole lane groups
 * (accumulators in registers, one fused multiply-add per weight vector and x row), one horizontal
 * sum per output, then a scalar tail for the last {@code (k1 - k0) % LANES} elements.
 */
final class F32Kernel extends MatmulKernel {
    static final F32Kernel INSTANCE = new F32Kernel();
    private static final long W_BYTES = 4; // bytes per weight element

    private F32Kernel() {
    }

    @Override
    void tile4x2(MemorySegment x, Weights w, MemorySegment y, int b, int o, int k0, int k1, boolean accumulate) {
        MemorySegment wd = w.data();
        long in = w.cols();
        long x0 = b * in * 4; // x row b, then b+1..b+3 one row apart
        long x1 = x0 + in * 4;
        long x2 = x1 + in * 4;
        long x3 = x2 + in * 4;
        long w0 = o * in * W_BYTES; // weight row o, then o+1
        long w1 = w0 + in * W_BYTES;
        FloatVector a00 = FloatVector.zero(F), a01 = FloatVector.zero(F);
        FloatVector a10 = FloatVector.zero(F), a11 = FloatVector.zero(F);
        FloatVector a20 = FloatVector.zero(F), a21 = FloatVector.zero(F);
        FloatVector a30 = FloatVector.zero(F), a31 = FloatVector.zero(F);
        int i = k0;
        for (int end = k0 + F.loopBound(k1 - k0); i < end; i += LANES) {
            FloatVector v0 = Simd.f32(wd, w0 + i * W_BYTES);
            FloatVector v1 = Simd.f32(wd, w1 + i * W_BYTES);
            FloatVector u = Simd.f32(x, x0 + i * 4L);
            a00 = u.fma(v0, a00);
            a01 = u.fma(v1, a01);
            u = Simd.f32(x, x1 + i * 4L);
            a10 = u.fma(v0, a10);
            a11 = u.fma(v1, a11);
            u = Simd.f32(x, x2 + i * 4L);
            a20 = u.fma(v0, a20);
            a21 = u.fma(v1, a21);
            u = Simd.f32(x, x3 + i * 4L);
            a30 = u.fma(v0, a30);
            a31 = u.fma(v1, a31);
        }
        float s00 = a00.reduceLanes(VectorOperators.ADD), s01 = a01.reduceLanes(VectorOperators.ADD);
        float s10 = a10.reduceLanes(VectorOperators.ADD), s11 = a11.reduceLanes(VectorOperators.ADD);
        float s20 = a20.reduceLanes(VectorOperators.ADD), s21 = a21.reduceLanes(VectorOperators.ADD);
        float s30 = a30.reduceLanes(VectorOperators.ADD), s31 = a31.reduceLanes(VectorOperators.ADD);
        for (; i < k1; i++) {
            float v0 = wd.get(F32, w0 + i * W_BYTES);
            float v1 = wd.get(F32, w1 + i * W_BYTES);
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
        long w0 = o * in * W_BYTES; // weight rows o..o+3, one row apart
        long w1 = w0 + in * W_BYTES;
        long w2 = w1 + in * W_BYTES;
        long w3 = w2 + in * W_BYTES;
        FloatVector a0 = FloatVector.zero(F), a1 = FloatVector.zero(F);
        FloatVector a2 = FloatVector.zero(F), a3 = FloatVector.zero(F);
        int i = k0;
        for (int end = k0 + F.loopBound(k1 - k0); i < end; i += LANES) {
            FloatVector u = Simd.f32(x, x0 + i * 4L);
            a0 = u.fma(Simd.f32(wd, w0 + i * W_BYTES), a0);
            a1 = u.fma(Simd.f32(wd, w1 + i * W_BYTES), a1);
            a2 = u.fma(Simd.f32(wd, w2 + i * W_BYTES), a2);
            a3 = u.fma(Simd.f32(wd, w3 + i * W_BYTES), a3);
        }
        float s0 = a0.reduceLanes(VectorOperators.ADD), s1 = a1.reduceLanes(VectorOperators.ADD);
        float s2 = a2.reduceLanes(VectorOperators.ADD), s3 = a3.reduceLanes(VectorOperators.ADD);
        for (; i < k1; i++) {
            float u = x.get(F32, x0 + i * 4L);
            s0 += u * wd.get(F32, w0 + i * W_BYTES);
            s1 += u * wd.get(F32, w1 + i * W_BYTES);
            s2 += u * wd.get(F32, w2 + i * W_BYTES);
            s3 += u * wd.get(F32, w3 + i * W_BYTES);
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
        long w0 = o * in * W_BYTES;
        FloatVector a = FloatVector.zero(F);
        int i = k0;
        for (int end = k0 + F.loopBound(k1 - k0); i < end; i += LANES) {
            a = Simd.f32(x, x0 + i * 4L).fma(Simd.f32(wd, w0 + i * W_BYTES), a);
        }
        float s = a.reduceLanes(VectorOperators.ADD);
        for (; i < k1; i++) {
            s += x.get(F32, x0 + i * 4L) * wd.get(F32, w0 + i * W_BYTES);
        }
        store(y, w.rows(), b, o, s, accumulate);
    }
}
