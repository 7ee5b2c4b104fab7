package io.podserve.units.layers;

import java.lang.foreign.MemorySegment;
import java.util.Arrays;

import io.podserve.kernels.Backend;
import io.podserve.kernels.Weights;

/**
 * Linear layers that read the same input, applied as one grouped backend call
 * ({@link Backend#matmuls}): one parallel pass whose chunks spread over all of them. Results equal
 * those of one {@link Linear#apply} per layer.
 *
 * <p>NOTE: why group: a decode step's k and v projections (512 rows each in Qwen3-30B-A3B) alone
 * give the 16-core pool 6 chunks each, and every separate call pays the pool's dispatch and its
 * idle tail; q, k and v together are one call of 55 chunks.
 *
 * <p>Holds reusable argument arrays: owned by the unit that made it.
 */
final class LinearGroup {
    private final Linear[] layers;
    private final Weights[] weights;
    private final MemorySegment[] xs;
    private final int[] batches;

    LinearGroup(Linear... layers) {
        this.layers = layers.clone();
        this.weights = Arrays.stream(layers).map(Linear::weight).toArray(Weights[]::new);
        this.xs = new MemorySegment[layers.length];
        this.batches = new int[layers.length];
    }

    /** {@code ys[i][rows, out_i] = x[rows, in] · W_iᵀ (+ b_i)} for each layer; no y may alias x. */
    void apply(Backend backend, MemorySegment x, int rows, MemorySegment[] ys) {
        Arrays.fill(xs, x);
        Arrays.fill(batches, rows);
        try {
            backend.matmuls(xs, weights, ys, batches, layers.length);
        } finally {
            Arrays.fill(xs, null);
        }
        for (int i = 0; i < layers.length; i++) {
            layers[i].addBias(backend, ys[i], rows);
        }
    }
}
