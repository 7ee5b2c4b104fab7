package io.podserve.kernels.cpu;

import java.lang.foreign.MemorySegment;

import io.podserve.kernels.WeightFormat;
import io.podserve.kernels.Weights;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;

import static io.podserve.kernels.cpu.Simd.F;
import static io.podserve.kernels.cpu.Simd.F32;
import static io.podserve.kernels.cpu.Simd.LANES;
import static io.podserve.kernels.cpu.Simd.LE;

/**
 * Operations over whole rows of f32 {@code [rows, cols]} segments: RMSNorm and softmax, each a
 * vector path and a scalar reference. The paths differ only in summation order (vector lanes vs
 * index order) and the vector {@code exp}, so they agree to within a few ulps. Stateless.
 */
final class RowOps {
    private RowOps() {
    }

    /**
     * {@code out[b] = x[b] · (1 / sqrt(mean(x[b]²) + eps)) · weight}, all in f32 as transformers'
     * RMSNorm computes it (the weight, BF16 or F32, widened first).
     */
    static void rmsNorm(MemorySegment x, Weights weight, MemorySegment out, int batch, int dim, float eps) {
        MemorySegment wd = weight.data();
        boolean bf16 = weight.format() == WeightFormat.BF16;
        for (int b = 0; b < batch; b++) {
            long row = (long) b * dim * 4;
            FloatVector squares = FloatVector.zero(F);
            int i = 0;
            int end = F.loopBound(dim);
            for (; i < end; i += LANES) {
                FloatVector v = Simd.f32(x, row + i * 4L);
                squares = v.fma(v, squares);
            }
            float sumSquares = squares.reduceLanes(VectorOperators.ADD);
            for (; i < dim; i++) {
                float v = x.get(F32, row + i * 4L);
                sumSquares += v * v;
            }
            float inverseRms = inverseRms(sumSquares, dim, eps);
            for (i = 0; i < end; i += LANES) {
                FloatVector w = bf16 ? Simd.bf16(wd, i * 2L) : Simd.f32(wd, i * 4L);
                Simd.f32(x, row + i * 4L).mul(inverseRms).mul(w).intoMemorySegment(out, row + i * 4L, LE);
            }
            for (; i < dim; i++) {
                out.set(F32, row + i * 4L, x.get(F32, row + i * 4L) * inverseRms * weight.get(0, i));
            }
        }
    }

    static void rmsNormScalar(MemorySegment x, Weights weight, MemorySegment out, int batch, int dim, float eps) {
        for (int b = 0; b < batch; b++) {
            long row = (long) b * dim * 4;
            float sumSquares = 0;
            for (int i = 0; i < dim; i++) {
                float v = x.get(F32, row + i * 4L);
                sumSquares += v * v;
            }
            float inverseRms = inverseRms(sumSquares, dim, eps);
            for (int i = 0; i < dim; i++) {
                out.set(F32, row + i * 4L, x.get(F32, row + i * 4L) * inverseRms * weight.get(0, i));
            }
        }
    }

    private static float inverseRms(float sumSquares, int dim, float eps) {
        return 1f / (float) Math.sqrt(sumSquares / dim + eps);
    }

    /** Each row ← {@code exp(x - max) / Σ exp(x - max)}; the division is a multiply by the reciprocal. */
    static void softmax(MemorySegment x, int rows, int cols) {
        for (int r = 0; r < rows; r++) {
            long row = (long) r * cols * 4;
            int end = F.loopBound(cols);
            FloatVector maxes = FloatVector.broadcast(F, Float.NEGATIVE_INFINITY);
            int i = 0;
            for (; i < end; i += LANES) {
                maxes = maxes.max(Simd.f32(x, row + i * 4L));
            }
            float max = maxes.reduceLanes(VectorOperators.MAX);
            for (; i < cols; i++) {
                max = Math.max(max, x.get(F32, row + i * 4L));
            }
            FloatVector sums = FloatVector.zero(F);
            for (i = 0; i < end; i += LANES) {
                FloatVector e = Simd.f32(x, row + i * 4L).sub(max).lanewise(VectorOperators.EXP);
                e.intoMemorySegment(x, row + i * 4L, LE);
                sums = sums.add(e);
            }
            float sum = sums.reduceLanes(VectorOperators.ADD);
            for (; i < cols; i++) {
                float e = (float) Math.exp(x.get(F32, row + i * 4L) - max);
                x.set(F32, row + i * 4L, e);
                sum += e;
            }
            float inverse = 1f / sum;
            for (i = 0; i < end; i += LANES) {
                Simd.f32(x, row + i * 4L).mul(inverse).intoMemorySegment(x, row + i * 4L, LE);
            }
            for (; i < cols; i++) {
                x.set(F32, row + i * 4L, x.get(F32, row + i * 4L) * inverse);
            }
        }
    }

    static void softmaxScalar(MemorySegment x, int rows, int cols) {
        for (int r = 0; r < rows; r++) {
            long row = (long) r * cols * 4;
            float max = Float.NEGATIVE_INFINITY;
            for (int i = 0; i < cols; i++) {
                max = Math.max(max, x.get(F32, row + i * 4L));
            }
            float sum = 0;
            for (int i = 0; i < cols; i++) {
                float e = (float) Math.exp(x.get(F32, row + i * 4L) - max);
                x.set(F32, row + i * 4L, e);
                sum += e;
            }
            float inverse = 1f / sum;
            for (int i = 0; i < cols; i++) {
                x.set(F32, row + i * 4L, x.get(F32, row + i * 4L) * inverse);
            }
        }
    }
}
