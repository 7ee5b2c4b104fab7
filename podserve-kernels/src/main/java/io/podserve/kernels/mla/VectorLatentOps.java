package io.podserve.kernels.mla;

import java.lang.foreign.MemorySegment;
import java.nio.ByteOrder;

import io.podserve.kernels.Weights;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.ShortVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

import static io.podserve.kernels.mla.LatentCache.F32;

/**
 * Vector API row operations: f32 rows and F32/BF16 weight rows with fused multiply-adds, scalar
 * tails; other weight formats go to {@link ScalarLatentOps}.
 *
 * <p>NOTE: the BF16 widening repeats the idea of {@code cpu.Simd.bf16} (bf16 bits are the top half of
 * an f32) because that class is package-private to the CPU backend, which this package does not edit.
 */
final class VectorLatentOps implements LatentOps {
    static final VectorLatentOps INSTANCE = new VectorLatentOps();
    private static final ByteOrder LE = ByteOrder.LITTLE_ENDIAN;
    private static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;
    private static final int LANES = F.length();
    private static final VectorSpecies<Integer> I = VectorSpecies.of(int.class, F.vectorShape());
    private static final VectorSpecies<Short> S = VectorSpecies.of(short.class,
            VectorShape.forBitSize(F.vectorBitSize() / 2)); // same lane count as F

    private VectorLatentOps() {
    }

    @Override
    public float dot(MemorySegment seg, long offset, float[] x, int n) {
        FloatVector acc = FloatVector.zero(F);
        int i = 0;
        for (int bound = F.loopBound(n); i < bound; i += LANES) {
            acc = FloatVector.fromMemorySegment(F, seg, offset + i * 4L, LE).fma(FloatVector.fromArray(F, x, i), acc);
        }
        float sum = acc.reduceLanes(VectorOperators.ADD);
        for (; i < n; i++) {
            sum += seg.get(F32, offset + i * 4L) * x[i];
        }
        return sum;
    }

    @Override
    public void axpy(float a, MemorySegment seg, long offset, float[] acc, int n) {
        FloatVector scale = FloatVector.broadcast(F, a);
        int i = 0;
        for (int bound = F.loopBound(n); i < bound; i += LANES) {
            FloatVector row = FloatVector.fromMemorySegment(F, seg, offset + i * 4L, LE);
            row.fma(scale, FloatVector.fromArray(F, acc, i)).intoArray(acc, i);
        }
        for (; i < n; i++) {
            acc[i] += a * seg.get(F32, offset + i * 4L);
        }
    }

    @Override
    public float dotRow(Weights w, int row, float[] x) {
        return switch (w.format()) {
            case F32 -> dot(w.data(), (long) row * w.cols() * 4, x, w.cols());
            case BF16 -> dotBf16(w.data(), (long) row * w.cols() * 2, x, w.cols());
            default -> ScalarLatentOps.INSTANCE.dotRow(w, row, x);
        };
    }

    @Override
    public void axpyRow(float a, Weights w, int row, float[] acc) {
        switch (w.format()) {
            case F32 -> axpy(a, w.data(), (long) row * w.cols() * 4, acc, w.cols());
            case BF16 -> axpyBf16(a, w.data(), (long) row * w.cols() * 2, acc, w.cols());
            default -> ScalarLatentOps.INSTANCE.axpyRow(a, w, row, acc);
        }
    }

    private static float dotBf16(MemorySegment seg, long offset, float[] x, int n) {
        FloatVector acc = FloatVector.zero(F);
        int i = 0;
        for (int bound = F.loopBound(n); i < bound; i += LANES) {
            acc = bf16(seg, offset + i * 2L).fma(FloatVector.fromArray(F, x, i), acc);
        }
        float sum = acc.reduceLanes(VectorOperators.ADD);
        for (; i < n; i++) {
            sum += bf16Scalar(seg, offset + i * 2L) * x[i];
        }
        return sum;
    }

    private static void axpyBf16(float a, MemorySegment seg, long offset, float[] acc, int n) {
        FloatVector scale = FloatVector.broadcast(F, a);
        int i = 0;
        for (int bound = F.loopBound(n); i < bound; i += LANES) {
            bf16(seg, offset + i * 2L).fma(scale, FloatVector.fromArray(F, acc, i)).intoArray(acc, i);
        }
        for (; i < n; i++) {
            acc[i] += a * bf16Scalar(seg, offset + i * 2L);
        }
    }

    /** {@link #LANES} bf16 values widened to f32. */
    private static FloatVector bf16(MemorySegment seg, long offset) {
        ShortVector bits = ShortVector.fromMemorySegment(S, seg, offset, LE);
        IntVector wide = (IntVector) bits.convertShape(VectorOperators.S2I, I, 0);
        return wide.lanewise(VectorOperators.LSHL, 16).reinterpretAsFloats();
    }

    private static float bf16Scalar(MemorySegment seg, long offset) {
        return Weights.bf16ToFloat(seg.get(LatentCache.I16, offset));
    }
}
