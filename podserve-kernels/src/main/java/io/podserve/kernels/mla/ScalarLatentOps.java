package io.podserve.kernels.mla;

import java.lang.foreign.MemorySegment;

import io.podserve.kernels.Weights;

import static io.podserve.kernels.mla.LatentCache.F32;

/** Plain loops in index order: the reference for {@link VectorLatentOps}; any weight format. */
final class ScalarLatentOps implements LatentOps {
    static final ScalarLatentOps INSTANCE = new ScalarLatentOps();

    private ScalarLatentOps() {
    }

    @Override
    public float dot(MemorySegment seg, long offset, float[] x, int n) {
        float sum = 0f;
        for (int i = 0; i < n; i++) {
            sum += seg.get(F32, offset + i * 4L) * x[i];
        }
        return sum;
    }

    @Override
    public void axpy(float a, MemorySegment seg, long offset, float[] acc, int n) {
        for (int i = 0; i < n; i++) {
            acc[i] += a * seg.get(F32, offset + i * 4L);
        }
    }

    @Override
    public float dotRow(Weights w, int row, float[] x) {
        float sum = 0f;
        for (int c = 0; c < w.cols(); c++) {
            sum += w.get(row, c) * x[c];
        }
        return sum;
    }

    @Override
    public void axpyRow(float a, Weights w, int row, float[] acc) {
        for (int c = 0; c < w.cols(); c++) {
            acc[c] += a * w.get(row, c);
        }
    }
}
