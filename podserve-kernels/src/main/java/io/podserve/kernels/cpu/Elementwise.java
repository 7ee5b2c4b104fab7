package io.podserve.kernels.cpu;

import java.lang.foreign.MemorySegment;

import jdk.incubator.vector.FloatVector;

import static io.podserve.kernels.cpu.Simd.F;
import static io.podserve.kernels.cpu.Simd.F32;
import static io.podserve.kernels.cpu.Simd.LANES;
import static io.podserve.kernels.cpu.Simd.LE;

/**
 * Element-wise arithmetic over f32 segments of {@code n} elements: a vector path (vector body,
 * scalar tail) and a scalar reference for each. Results are bit-identical between the two: each
 * element sees the same single-rounded operations. Stateless.
 */
final class Elementwise {
    private Elementwise() {
    }

    /** {@code out = a + b}. */
    static void add(MemorySegment a, MemorySegment b, MemorySegment out, int n) {
        int i = 0;
        for (int end = F.loopBound(n); i < end; i += LANES) {
            long off = i * 4L;
            Simd.f32(a, off).add(Simd.f32(b, off)).intoMemorySegment(out, off, LE);
        }
        for (; i < n; i++) {
            out.set(F32, i * 4L, a.get(F32, i * 4L) + b.get(F32, i * 4L));
        }
    }

    static void addScalar(MemorySegment a, MemorySegment b, MemorySegment out, int n) {
        for (int i = 0; i < n; i++) {
            out.set(F32, i * 4L, a.get(F32, i * 4L) + b.get(F32, i * 4L));
        }
    }

    /** {@code out = x · s}. */
    static void scale(MemorySegment x, float s, MemorySegment out, int n) {
        int i = 0;
        for (int end = F.loopBound(n); i < end; i += LANES) {
            long off = i * 4L;
            Simd.f32(x, off).mul(s).intoMemorySegment(out, off, LE);
        }
        for (; i < n; i++) {
            out.set(F32, i * 4L, x.get(F32, i * 4L) * s);
        }
    }

    static void scaleScalar(MemorySegment x, float s, MemorySegment out, int n) {
        for (int i = 0; i < n; i++) {
            out.set(F32, i * 4L, x.get(F32, i * 4L) * s);
        }
    }

    /**
     * {@code acc += s · x}. NOTE: multiply then add, two roundings, not an FMA: torch's
     * {@code acc += s * x} rounds twice too, and the scalar reference stays bit-identical.
     */
    static void addScaled(MemorySegment acc, MemorySegment x, float s, int n) {
        addScaled(acc, 0, x, 0, s, n);
    }

    /** {@code acc[accAt..] += s · x[xAt..]} over n floats (byte offsets). */
    static void addScaled(MemorySegment acc, long accAt, MemorySegment x, long xAt, float s, int n) {
        int i = 0;
        for (int end = F.loopBound(n); i < end; i += LANES) {
            long off = i * 4L;
            FloatVector product = Simd.f32(x, xAt + off).mul(s);
            Simd.f32(acc, accAt + off).add(product).intoMemorySegment(acc, accAt + off, LE);
        }
        for (; i < n; i++) {
            long a = accAt + i * 4L;
            acc.set(F32, a, acc.get(F32, a) + s * x.get(F32, xAt + i * 4L));
        }
    }

    static void addScaledScalar(MemorySegment acc, MemorySegment x, float s, int n) {
        for (int i = 0; i < n; i++) {
            acc.set(F32, i * 4L, acc.get(F32, i * 4L) + s * x.get(F32, i * 4L));
        }
    }
}
