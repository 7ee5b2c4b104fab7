package io.podserve.units.layers;

import java.lang.foreign.MemorySegment;

import io.podserve.kernels.Backend;
import io.podserve.kernels.Weights;
import io.podserve.kernels.routing.Router;
import io.podserve.kernels.routing.RoutingParams;
import io.podserve.units.Activation.Hidden;
import io.podserve.units.Activation.Routed;
import io.podserve.units.Step;
import io.podserve.units.Unit;

/**
 * The first half of an MoE block: post-attention RMSNorm, the router projection ({@code gate}, or
 * GPT-OSS's biased {@code router}), and routing to each token's experts and combine weights. Passes
 * the residual stream through untouched for the experts to add to. Owned by the executor thread.
 */
public final class RouterUnit implements Unit<Hidden, Routed> {
    private static final int NORMED = 0;
    private static final int LOGITS = 1;

    private final int layer;
    private final Backend backend;
    private final Weights postAttentionLayernorm; // [1, hidden]
    private final Linear gate; // [numExperts, hidden]
    private final RoutingParams routing;
    private final float[] correctionBias; // [numExperts] or null
    private final float eps;
    private final Scratch scratch = new Scratch(2);
    private int[] expertIds = new int[0];
    private float[] weights = new float[0];

    public RouterUnit(int layer, Backend backend, Weights postAttentionLayernorm, Linear gate, RoutingParams routing,
            float[] correctionBias, float eps) {
        this.layer = layer;
        this.backend = backend;
        this.postAttentionLayernorm = postAttentionLayernorm;
        this.gate = gate;
        this.routing = routing;
        this.correctionBias = correctionBias;
        this.eps = eps;
    }

    @Override
    public Routed forward(Step step, Hidden x) {
        int rows = x.rows();
        int hidden = x.cols();
        int k = routing.topK();
        MemorySegment normed = scratch.floats(NORMED, (long) rows * hidden);
        MemorySegment logits = scratch.floats(LOGITS, (long) rows * gate.out());
        backend.rmsNorm(x.data(), postAttentionLayernorm, normed, rows, hidden, eps);
        gate.apply(backend, normed, logits, rows);
        if (expertIds.length < rows * k) {
            expertIds = new int[rows * k];
            weights = new float[rows * k];
        }
        Router.route(routing, logits, rows, correctionBias, expertIds, weights);
        return new Routed(x, new Hidden(normed, rows, hidden), k, expertIds, weights);
    }

    @Override
    public String name() {
        return "layers." + layer + ".router";
    }
}
