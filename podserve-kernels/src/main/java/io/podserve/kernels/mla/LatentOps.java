package io.podserve.kernels.mla;

import java.lang.foreign.MemorySegment;

import io.podserve.kernels.Weights;

/**
 * The four row operations the absorbed attention is made of, over f32 rows (cache rows) and weight
 * rows. {@link ScalarLatentOps} is the reference, {@link VectorLatentOps} the Vector API path; the
 * attention is written once against this interface.
 */
interface LatentOps {
    /** {@code Σ_i row[i] · x[i]} over {@code n} f32 values at byte {@code offset} of {@code seg}. */
    float dot(MemorySegment seg, long offset, float[] x, int n);

    /** {@code acc[i] += a · row[i]} over {@code n} f32 values at byte {@code offset} of {@code seg}. */
    void axpy(float a, MemorySegment seg, long offset, float[] acc, int n);

    /** {@code Σ_c w[row][c] · x[c]} over the whole row. */
    float dotRow(Weights w, int row, float[] x);

    /** {@code acc[c] += a · w[row][c]} over the whole row. */
    void axpyRow(float a, Weights w, int row, float[] acc);
}
