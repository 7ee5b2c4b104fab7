package io.podserve.units.layers;

import java.lang.foreign.MemorySegment;

import io.podserve.kernels.Backend;
import io.podserve.kernels.Weights;

/**
 * A linear layer {@code y = x · Wᵀ (+ b)}: the checkpoint's {@code [out, in]} weight in any
 * format, and an optional f32 bias. Immutable.
 *
 * @param weight {@code [out, in]}
 * @param bias   f32 {@code [out]}, or null
 */
public record Linear(Weights weight, MemorySegment bias) {

    public int in() {
        return weight.cols();
    }

    public int out() {
        return weight.rows();
    }

    /** {@code y[rows, out] = x[rows, in] · Wᵀ + b}; y must not alias x. */
    public void apply(Backend backend, MemorySegment x, MemorySegment y, int rows) {
        backend.matmul(x, weight, y, rows);
        addBias(backend, y, rows);
    }

    /** {@code y[r] += b} for each of {@code rows} rows; nothing without a bias. */
    public void addBias(Backend backend, MemorySegment y, int rows) {
        if (bias != null) {
            long rowBytes = (long) out() * Float.BYTES;
            for (int r = 0; r < rows; r++) {
                MemorySegment row = y.asSlice(r * rowBytes, rowBytes);
                backend.add(row, bias, row, out());
            }
        }
    }
}
