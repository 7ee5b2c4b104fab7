package io.podserve.kernels;

import java.lang.foreign.MemorySegment;

import io.podserve.kernels.attention.AttentionShape;
import io.podserve.kernels.attention.KvCache;

/**
 * The operations of a transformer step, over f32 activations in off-heap segments (row-major,
 * little-endian) and {@link Weights} in any {@link WeightFormat}. A CPU backend computes in place;
 * a GPU backend would take device segments.
 *
 * <p>Shapes are given as comments {@code [rows, cols]}; {@code batch} counts token rows. Unless an
 * operation says so, outputs may alias inputs element for element (same segment, same offset) but
 * must not partially overlap them. Implementations are owned by one caller thread at a time: they
 * reuse per-call state, and may use worker threads of their own inside a call, so segments must be
 * readable from any thread (global, shared or automatic arenas, or mapped files; not confined).
 */
public interface Backend extends AutoCloseable {

    /**
     * {@code y[b][o] = Σ_i x[b][i] · W[o][i]}: a linear layer without bias.
     *
     * @param x     f32 {@code [batch, w.cols()]}
     * @param w     {@code [out, in]}
     * @param y     f32 {@code [batch, w.rows()]}; must not alias x
     * @param batch rows of x and y, ≥ 1
     */
    void matmul(MemorySegment x, Weights w, MemorySegment y, int batch);

    /**
     * {@code count} independent matmuls in one call, {@code ys[g] = xs[g] · ws[g]ᵀ} over
     * {@code batches[g]} rows, each as {@link #matmul} computes it alone: an MoE layer's experts,
     * each too small to keep every core busy. The default runs them one after the other; the
     * arrays are only read during the call.
     */
    default void matmuls(MemorySegment[] xs, Weights[] ws, MemorySegment[] ys, int[] batches, int count) {
        for (int g = 0; g < count; g++) {
            matmul(xs[g], ws[g], ys[g], batches[g]);
        }
    }

    /**
     * RMSNorm in f32: {@code out[b][i] = x[b][i] / sqrt(mean_i(x[b]²) + eps) · weight[i]}.
     *
     * @param x      f32 {@code [batch, dim]}
     * @param weight F32 or BF16 {@code [1, dim]}
     * @param out    f32 {@code [batch, dim]}
     */
    void rmsNorm(MemorySegment x, Weights weight, MemorySegment out, int batch, int dim, float eps);

    /** {@code x[r]} ← softmax of row r, max-subtracted for stability; x is f32 {@code [rows, cols]}. */
    void softmax(MemorySegment x, int rows, int cols);

    /** {@code out[i] = x[i] · sigmoid(x[i])} over {@code n} f32 elements. */
    void silu(MemorySegment x, MemorySegment out, int n);

    /** SwiGLU: {@code out[i] = silu(gate[i]) · up[i]} over {@code n} f32 elements. */
    void swiglu(MemorySegment gate, MemorySegment up, MemorySegment out, int n);

    /**
     * GPT-OSS's clamped SwiGLU over {@code n} f32 elements: {@code g = min(gate, limit)},
     * {@code u = clamp(up, -limit, limit)}, {@code out = g · sigmoid(alpha · g) · (u + 1)}
     * (transformers uses alpha 1.702 and limit 7). Gate and up are separate here: the checkpoint's
     * fused projection interleaves them (gate at even, up at odd columns), which the loader undoes.
     */
    void swigluClamped(MemorySegment gate, MemorySegment up, MemorySegment out, int n, float alpha, float limit);

    /** {@code out[i] = a[i] + b[i]}; {@code out == a} is the residual add. */
    void add(MemorySegment a, MemorySegment b, MemorySegment out, int n);

    /** {@code out[i] = x[i] · s}. */
    void scale(MemorySegment x, float s, MemorySegment out, int n);

    /** {@code acc[i] += s · x[i]}: a weighted residual add (an MoE expert's routed contribution). */
    void addScaled(MemorySegment acc, MemorySegment x, float s, int n);

    /**
     * For {@code i < count}, in order: row {@code rows[from + i]} of {@code acc} {@code +=}
     * {@code weights[from + i]} times row i of {@code x}, rows of {@code cols} floats: an MoE layer's
     * weighted combine of its (token, expert) outputs. Each element sees the additions in i's order, as
     * {@link #addScaled} row by row would give them (the default does exactly that).
     */
    default void addScaledRows(MemorySegment acc, MemorySegment x, int[] rows, float[] weights, int from, int count,
            int cols) {
        long rowBytes = (long) cols * Float.BYTES;
        for (int i = 0; i < count; i++) {
            addScaled(acc.asSlice(rows[from + i] * rowBytes, rowBytes), x.asSlice(i * rowBytes, rowBytes),
                    weights[from + i], cols);
        }
    }

    /**
     * Rotates q or k rows in place by each row's position.
     *
     * @param x         f32 {@code [batch, numHeads, table.headDim()]}; the first
     *                  {@code table.rotaryDim()} elements of each head rotate, the rest pass through
     * @param positions {@code [batch]}, each in {@code [0, table.maxPositions())}
     */
    void rope(RopeTable table, RopeLayout layout, MemorySegment x, int batch, int numHeads, int[] positions);

    /**
     * Paged causal attention for a batch mixing prefill chunks and decode rows of different
     * sequences: row {@code r} is at {@code positions[r]} of the sequence whose block table is
     * {@code blockTables[r]}, and attends to that sequence's cached positions {@code [first, p]}
     * ({@code first} per {@link AttentionShape#firstVisible}). The step's own K/V rows must already
     * be in the cache ({@link KvCache#write}).
     *
     * @param q     f32 {@code [batch, numHeads, headDim]}
     * @param sinks per-head sink logits joining each softmax's denominator (GPT-OSS), or null
     * @param out   f32 {@code [batch, numHeads, headDim]}; must not alias q
     */
    void pagedAttention(AttentionShape shape, KvCache cache, MemorySegment q, int batch, int[] positions,
            int[][] blockTables, float[] sinks, MemorySegment out);

    /** Stops worker threads; the backend is unusable afterwards. */
    @Override
    void close();
}
