package io.podserve.units.layers;

import java.lang.foreign.MemorySegment;

import io.podserve.kernels.Backend;

/**
 * A gated MLP {@code down(act(gate(x), up(x)))}: a dense FFN, or one routed expert. The activation
 * is SwiGLU, or GPT-OSS's clamped form when {@code clampLimit > 0}. Owns scratch for its
 * intermediates, so one instance serves one thread.
 *
 * @param gateProj   {@code [intermediate, hidden]}
 * @param upProj     {@code [intermediate, hidden]}
 * @param downProj   {@code [hidden, intermediate]}
 * @param clampLimit 0 for plain SwiGLU; else GPT-OSS's limit (alpha {@value #GPT_OSS_ALPHA})
 */
public record SwigluMlp(Linear gateProj, Linear upProj, Linear downProj, float clampLimit, Scratch scratch) {
    /** transformers' GPT-OSS sigmoid sharpness. */
    public static final float GPT_OSS_ALPHA = 1.702f;

    public SwigluMlp(Linear gateProj, Linear upProj, Linear downProj, float clampLimit) {
        this(gateProj, upProj, downProj, clampLimit, new Scratch(2));
    }

    /** {@code out[rows, hidden] = mlp(x[rows, hidden])}; out must not alias x. */
    public void apply(Backend backend, MemorySegment x, MemorySegment out, int rows) {
        int inter = gateProj.out();
        MemorySegment gate = scratch.floats(0, (long) rows * inter);
        MemorySegment up = scratch.floats(1, (long) rows * inter);
        gateProj.apply(backend, x, gate, rows);
        upProj.apply(backend, x, up, rows);
        activate(backend, gate, up, rows * inter);
        downProj.apply(backend, gate, out, rows);
    }

    /** {@code gate[i] ← act(gate[i], up[i])} over {@code n} elements: this MLP's activation. */
    public void activate(Backend backend, MemorySegment gate, MemorySegment up, int n) {
        if (clampLimit > 0) {
            backend.swigluClamped(gate, up, gate, n, GPT_OSS_ALPHA, clampLimit);
        } else {
            backend.swiglu(gate, up, gate, n);
        }
    }
}
