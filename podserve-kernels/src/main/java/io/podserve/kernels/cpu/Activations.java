package io.podserve.kernels.cpu;

import java.lang.foreign.MemorySegment;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;

import static io.podserve.kernels.cpu.Simd.F;
import static io.podserve.kernels.cpu.Simd.F32;
import static io.podserve.kernels.cpu.Simd.LANES;
import static io.podserve.kernels.cpu.Simd.LE;

/**
 * Gated activations over f32 segments of {@code n} elements, vector path and scalar reference.
 * {@code sigmoid(z) = 1 / (1 + exp(-z))} and {@code silu(x) = x / (1 + exp(-x))} as torch computes
 * them; the vector {@code exp} may differ from {@link Math#exp} by an ulp, so the two paths agree to
 * a few ulps, not bit for bit. Stateless.
 */
final class Activations {
    private Activations() {
    }

    /** {@code out = x / (1 + exp(-x))}. */
    static void silu(MemorySegment x, MemorySegment out, int n) {
        int i = 0;
        for (int end = F.loopBound(n); i < end; i += LANES) {
            long off = i * 4L;
            silu(Simd.f32(x, off)).intoMemorySegment(out, off, LE);
        }
        for (; i < n; i++) {
            out.set(F32, i * 4L, silu(x.get(F32, i * 4L)));
        }
    }

    static void siluScalar(MemorySegment x, MemorySegment out, int n) {
        for (int i = 0; i < n; i++) {
            out.set(F32, i * 4L, silu(x.get(F32, i * 4L)));
        }
    }

    /** {@code out = silu(gate) · up}. */
    static void swiglu(MemorySegment gate, MemorySegment up, MemorySegment out, int n) {
        int i = 0;
        for (int end = F.loopBound(n); i < end; i += LANES) {
            long off = i * 4L;
            silu(Simd.f32(gate, off)).mul(Simd.f32(up, off)).intoMemorySegment(out, off, LE);
        }
        for (; i < n; i++) {
            out.set(F32, i * 4L, silu(gate.get(F32, i * 4L)) * up.get(F32, i * 4L));
        }
    }

    static void swigluScalar(MemorySegment gate, MemorySegment up, MemorySegment out, int n) {
        for (int i = 0; i < n; i++) {
            out.set(F32, i * 4L, silu(gate.get(F32, i * 4L)) * up.get(F32, i * 4L));
        }
    }

    /**
     * GPT-OSS ({@code GptOssExperts._apply_gate} in transformers): {@code g = gate.clamp(max=limit)},
     * {@code u = up.clamp(-limit, limit)}, {@code glu = g · sigmoid(g · alpha)}, {@code out = (u + 1) · glu}.
     */
    static void swigluClamped(MemorySegment gate, MemorySegment up, MemorySegment out, int n, float alpha,
            float limit) {
        int i = 0;
        for (int end = F.loopBound(n); i < end; i += LANES) {
            long off = i * 4L;
            FloatVector g = Simd.f32(gate, off).min(limit);
            FloatVector u = Simd.f32(up, off).max(-limit).min(limit);
            FloatVector glu = g.mul(sigmoid(g.mul(alpha)));
            u.add(1f).mul(glu).intoMemorySegment(out, off, LE);
        }
        for (; i < n; i++) {
            out.set(F32, i * 4L, swigluClamped(gate.get(F32, i * 4L), up.get(F32, i * 4L), alpha, limit));
        }
    }

    static void swigluClampedScalar(MemorySegment gate, MemorySegment up, MemorySegment out, int n, float alpha,
            float limit) {
        for (int i = 0; i < n; i++) {
            out.set(F32, i * 4L, swigluClamped(gate.get(F32, i * 4L), up.get(F32, i * 4L), alpha, limit));
        }
    }

    private static FloatVector silu(FloatVector x) {
        return x.div(x.neg().lanewise(VectorOperators.EXP).add(1f));
    }

    private static FloatVector sigmoid(FloatVector z) {
        return FloatVector.broadcast(F, 1f).div(z.neg().lanewise(VectorOperators.EXP).add(1f));
    }

    static float silu(float x) {
        return x / (1f + (float) Math.exp(-x));
    }

    static float sigmoid(float z) {
        return 1f / (1f + (float) Math.exp(-z));
    }

    static float swigluClamped(float gate, float up, float alpha, float limit) {
        float g = Math.min(gate, limit);
        float u = Math.clamp(up, -limit, limit);
        float glu = g * sigmoid(g * alpha);
        return (u + 1f) * glu;
    }
}
