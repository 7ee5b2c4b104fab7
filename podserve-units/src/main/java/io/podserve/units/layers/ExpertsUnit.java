package io.podserve.units.layers;

import java.lang.foreign.MemorySegment;

import io.podserve.kernels.Backend;
import io.podserve.units.Activation.Hidden;
import io.podserve.units.Activation.Routed;
import io.podserve.units.Step;
import io.podserve.units.Unit;

/**
 * A layer's routed experts with the residual add: each token's {@code topK} expert MLPs, weighted
 * by the router's combine weights and summed, plus DeepSeek's shared expert(s) where the layer has
 * them (one SwiGLU MLP over every token), then added to the residual stream in place.
 *
 * <p>NOTE: work is grouped by expert (gather the rows routed to expert e, one batched MLP, scatter
 * back), experts in index order, so each token's sum runs in the order transformers' loop over
 * experts adds them ({@code index_add_}), and the MoE output is summed before the residual add as
 * there. The shared experts' output joins that sum last, before the residual, as transformers'
 * DeepseekV3MoE adds {@code shared_experts(residuals)} to the routed output. Owned by the executor
 * thread.
 */
public final class ExpertsUnit implements Unit<Routed, Hidden> {
    private static final int GATHERED = 0;
    private static final int EXPERT_OUT = 1;
    private static final int SUM = 2;
    private static final int SHARED_OUT = 3;

    private final int layer;
    private final Backend backend;
    private final SwigluMlp[] experts; // [numExperts]
    private final SwigluMlp sharedExperts; // intermediate n_shared_experts · moe_intermediate_size, or null
    private final Scratch scratch = new Scratch(4);
    private int[] rowsOfExpert = new int[0];
    private float[] weightsOfExpert = new float[0];

    public ExpertsUnit(int layer, Backend backend, SwigluMlp[] experts) {
        this(layer, backend, experts, null);
    }

    /** Routed {@code experts} plus {@code sharedExperts} (null when none) applied to every token. */
    public ExpertsUnit(int layer, Backend backend, SwigluMlp[] experts, SwigluMlp sharedExperts) {
        this.layer = layer;
        this.backend = backend;
        this.experts = experts.clone();
        this.sharedExperts = sharedExperts;
    }

    public int numExperts() {
        return experts.length;
    }

    @Override
    public Hidden forward(Step step, Routed routed) {
        Hidden residual = routed.residual();
        int rows = residual.rows();
        int hidden = residual.cols();
        long rowBytes = (long) hidden * Float.BYTES;
        MemorySegment sum = scratch.zeros(SUM, (long) rows * hidden);
        ensureCapacity(rows);
        for (int e = 0; e < experts.length; e++) {
            int n = collect(routed, e);
            if (n == 0) {
                continue;
            }
            MemorySegment gathered = scratch.floats(GATHERED, (long) n * hidden);
            for (int j = 0; j < n; j++) {
                MemorySegment.copy(routed.normed().data(), rowsOfExpert[j] * rowBytes, gathered, j * rowBytes, rowBytes);
            }
            MemorySegment out = scratch.floats(EXPERT_OUT, (long) n * hidden);
            experts[e].apply(backend, gathered, out, n);
            for (int j = 0; j < n; j++) {
                backend.addScaled(sum.asSlice(rowsOfExpert[j] * rowBytes, rowBytes),
                        out.asSlice(j * rowBytes, rowBytes), weightsOfExpert[j], hidden);
            }
        }
        if (sharedExperts != null) {
            MemorySegment shared = scratch.floats(SHARED_OUT, (long) rows * hidden);
            sharedExperts.apply(backend, routed.normed().data(), shared, rows);
            backend.add(sum, shared, sum, rows * hidden);
        }
        backend.add(residual.data(), sum, residual.data(), rows * hidden);
        return residual;
    }

    /** Fills rowsOfExpert/weightsOfExpert with the rows routed to {@code expert}; returns how many. */
    private int collect(Routed routed, int expert) {
        int n = 0;
        int k = routed.topK();
        for (int r = 0; r < routed.residual().rows(); r++) {
            for (int j = 0; j < k; j++) {
                if (routed.expertIds()[r * k + j] == expert) {
                    rowsOfExpert[n] = r;
                    weightsOfExpert[n++] = routed.weights()[r * k + j];
                }
            }
        }
        return n;
    }

    private void ensureCapacity(int rows) {
        if (rowsOfExpert.length < rows) {
            rowsOfExpert = new int[rows];
            weightsOfExpert = new float[rows];
        }
    }

    @Override
    public String name() {
        return "layers." + layer + ".experts";
    }
}
