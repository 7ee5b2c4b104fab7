package io.podserve.units.layers;

import java.lang.foreign.MemorySegment;

import io.podserve.kernels.Backend;
import io.podserve.kernels.Weights;
import io.podserve.units.Activation.Hidden;
import io.podserve.units.Step;
import io.podserve.units.Unit;

/**
 * A dense feed-forward block with its residual add: post-attention RMSNorm, then
 * {@code down(silu(gate(x)) · up(x))}, added to the residual stream in place. Owned by the
 * executor thread.
 */
public final class DenseMlpUnit implements Unit<Hidden, Hidden> {
    private static final int NORMED = 0;
    private static final int OUT = 1;

    private final int layer;
    private final Backend backend;
    private final Weights postAttentionLayernorm; // [1, hidden]
    private final SwigluMlp mlp;
    private final float eps;
    private final Scratch scratch = new Scratch(2);

    public DenseMlpUnit(int layer, Backend backend, Weights postAttentionLayernorm, SwigluMlp mlp, float eps) {
        this.layer = layer;
        this.backend = backend;
        this.postAttentionLayernorm = postAttentionLayernorm;
        this.mlp = mlp;
        this.eps = eps;
    }

    @Override
    public Hidden forward(Step step, Hidden x) {
        int rows = x.rows();
        int hidden = x.cols();
        MemorySegment normed = scratch.floats(NORMED, (long) rows * hidden);
        MemorySegment out = scratch.floats(OUT, (long) rows * hidden);
        backend.rmsNorm(x.data(), postAttentionLayernorm, normed, rows, hidden, eps);
        mlp.apply(backend, normed, out, rows);
        backend.add(x.data(), out, x.data(), rows * hidden);
        return x;
    }

    @Override
    public String name() {
        return "layers." + layer + ".mlp";
    }
}
