package io.podserve.units.layers;

import java.lang.foreign.MemorySegment;
import java.util.Arrays;

import io.podserve.kernels.Backend;
import io.podserve.kernels.Weights;
import io.podserve.units.Activation.Hidden;
import io.podserve.units.Activation.Routed;
import io.podserve.units.Step;
import io.podserve.units.Unit;

/**
 * A layer's routed experts with the residual add: each token's {@code topK} expert MLPs, weighted
 * by the router's combine weights and summed, plus DeepSeek's shared expert(s) where the layer has
 * them (one SwiGLU MLP over every token), then added to the residual stream in place.
 *
 * <p>The step, for the touched experts in index order, taken in runs of up to {@link #MAX_PAIRS}
 * (row, expert) pairs: (1) gather each token row once per expert it is routed to, grouped by
 * expert; (2) gate and up projections of every expert of the run in one grouped matmul; (3) the
 * activation over all gathered rows; (4) every down projection in one grouped matmul; (5) the
 * weighted scatter-add, expert by expert.
 *
 * <p>NOTE: the grouped matmuls ({@link Backend#matmuls}) keep every core busy on small experts
 * and pay one dispatch per layer instead of three per expert; each expert's rows still go through
 * the kernel as one batch, as with one matmul call per expert, so results are the same bit for bit.
 * Step (5) runs in expert index order, so each token's sum runs in the order transformers' loop over
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
    private static final int GATE = 4;
    private static final int UP = 5;
    /**
     * Pairs per grouped call, unless one expert alone has more. NOTE: bounds each layer's scratch
     * (gathered rows, gate, up and outputs: 1024 · (2 · hidden + 2 · intermediate) floats, 22 MiB
     * for Qwen3-30B-A3B) whatever the prefill chunk; a decode step of 32 tokens × top-8 is one call,
     * and a 512-token prefill's 4096 pairs are 4 calls of about 30 experts, plenty for every core.
     * Without the bound, a 4096-token chunk asked 0.7 GiB per layer.
     */
    static final int MAX_PAIRS = 1024;

    private final int layer;
    private final Backend backend;
    private final SwigluMlp[] experts; // [numExperts]
    private final SwigluMlp sharedExperts; // intermediate n_shared_experts · moe_intermediate_size, or null
    private final Scratch scratch = new Scratch(6);
    private final int[] firstPair; // [numExperts + 1]: expert e's gathered rows are [firstPair[e], firstPair[e+1])
    private int[] rowOfPair = new int[0]; // token row of each gathered row
    private float[] weightOfPair = new float[0]; // its combine weight
    // Arguments of the grouped matmuls, reused: [2 · numExperts] for gate and up, the first numExperts for down.
    private final MemorySegment[] xs;
    private final MemorySegment[] ys;
    private final Weights[] ws;
    private final int[] batches;
    private final int[] touched; // experts with rows this step, in index order
    private final int[] cursor; // per expert: the next free gathered row while grouping

    public ExpertsUnit(int layer, Backend backend, SwigluMlp[] experts) {
        this(layer, backend, experts, null);
    }

    /** Routed {@code experts} plus {@code sharedExperts} (null when none) applied to every token. */
    public ExpertsUnit(int layer, Backend backend, SwigluMlp[] experts, SwigluMlp sharedExperts) {
        this.layer = layer;
        this.backend = backend;
        this.experts = experts.clone();
        this.sharedExperts = sharedExperts;
        int n = experts.length;
        this.firstPair = new int[n + 1];
        this.xs = new MemorySegment[2 * n];
        this.ys = new MemorySegment[2 * n];
        this.ws = new Weights[2 * n];
        this.batches = new int[2 * n];
        this.touched = new int[n];
        this.cursor = new int[n];
    }

    public int numExperts() {
        return experts.length;
    }

    @Override
    public Hidden forward(Step step, Routed routed) {
        Hidden residual = routed.residual();
        int rows = residual.rows();
        int hidden = residual.cols();
        MemorySegment sum = scratch.zeros(SUM, (long) rows * hidden);
        int numTouched = group(routed);
        for (int from = 0, to; from < numTouched; from = to) {
            to = from + 1;
            while (to < numTouched && firstPair[touched[to] + 1] - firstPair[touched[from]] <= MAX_PAIRS) {
                to++;
            }
            runExperts(routed.normed().data(), from, to, sum, hidden);
        }
        if (sharedExperts != null) {
            MemorySegment shared = scratch.floats(SHARED_OUT, (long) rows * hidden);
            sharedExperts.apply(backend, routed.normed().data(), shared, rows);
            backend.add(sum, shared, sum, rows * hidden);
        }
        backend.add(residual.data(), sum, residual.data(), rows * hidden);
        return residual;
    }

    /** Steps (1) to (5) for the touched experts {@code touched[from, to)}, whose pairs are contiguous. */
    private void runExperts(MemorySegment normed, int from, int to, MemorySegment sum, int hidden) {
        int base = firstPair[touched[from]];
        int pairs = firstPair[touched[to - 1] + 1] - base;
        int inter = experts[touched[from]].gateProj().out();
        MemorySegment gathered = gather(normed, base, pairs, hidden);
        MemorySegment gate = scratch.floats(GATE, (long) pairs * inter);
        MemorySegment up = scratch.floats(UP, (long) pairs * inter);
        MemorySegment out = scratch.floats(EXPERT_OUT, (long) pairs * hidden);
        gateUp(from, to, base, gathered, gate, up, hidden, inter);
        experts[touched[from]].activate(backend, gate, up, pairs * inter); // elementwise, one law per layer
        down(from, to, base, gate, out, hidden, inter);
        combine(sum, out, base, pairs, hidden);
    }

    /**
     * Counting sort of the (row, expert) pairs by expert: fills firstPair, rowOfPair, weightOfPair
     * (rows ascending within an expert) and touched; returns the number of touched experts.
     */
    private int group(Routed routed) {
        int rows = routed.residual().rows();
        int k = routed.topK();
        int[] ids = routed.expertIds();
        Arrays.fill(firstPair, 0);
        for (int i = 0; i < rows * k; i++) {
            firstPair[ids[i] + 1]++;
        }
        int numTouched = 0;
        for (int e = 0; e < experts.length; e++) {
            if (firstPair[e + 1] > 0) {
                touched[numTouched++] = e;
            }
            firstPair[e + 1] += firstPair[e];
        }
        ensureCapacity(rows * k);
        int[] next = cursor;
        System.arraycopy(firstPair, 0, next, 0, experts.length);
        for (int r = 0; r < rows; r++) {
            for (int j = 0; j < k; j++) {
                int p = next[ids[r * k + j]]++;
                rowOfPair[p] = r;
                weightOfPair[p] = routed.weights()[r * k + j];
            }
        }
        return numTouched;
    }

    /** The token rows of pairs {@code [base, base + pairs)}, copied in pair order. */
    private MemorySegment gather(MemorySegment normed, int base, int pairs, int hidden) {
        long rowBytes = (long) hidden * Float.BYTES;
        MemorySegment gathered = scratch.floats(GATHERED, (long) pairs * hidden);
        for (int p = 0; p < pairs; p++) {
            MemorySegment.copy(normed, rowOfPair[base + p] * rowBytes, gathered, p * rowBytes, rowBytes);
        }
        return gathered;
    }

    /** gate = x · gate_projᵀ and up = x · up_projᵀ for experts {@code touched[from, to)}, one grouped call. */
    private void gateUp(int from, int to, int base, MemorySegment gathered, MemorySegment gate, MemorySegment up,
            int hidden, int inter) {
        int n = to - from;
        for (int t = 0; t < n; t++) {
            int e = touched[from + t];
            MemorySegment x = rowsOf(gathered, e, base, hidden);
            xs[t] = x;
            xs[n + t] = x;
            ws[t] = experts[e].gateProj().weight();
            ws[n + t] = experts[e].upProj().weight();
            ys[t] = rowsOf(gate, e, base, inter);
            ys[n + t] = rowsOf(up, e, base, inter);
            batches[t] = firstPair[e + 1] - firstPair[e];
            batches[n + t] = batches[t];
        }
        backend.matmuls(xs, ws, ys, batches, 2 * n);
        for (int t = 0; t < n; t++) {
            int e = touched[from + t];
            experts[e].gateProj().addBias(backend, ys[t], batches[t]);
            experts[e].upProj().addBias(backend, ys[n + t], batches[t]);
        }
    }

    /** out = act · down_projᵀ for experts {@code touched[from, to)}, one grouped call. */
    private void down(int from, int to, int base, MemorySegment act, MemorySegment out, int hidden, int inter) {
        int n = to - from;
        for (int t = 0; t < n; t++) {
            int e = touched[from + t];
            xs[t] = rowsOf(act, e, base, inter);
            ws[t] = experts[e].downProj().weight();
            ys[t] = rowsOf(out, e, base, hidden);
            batches[t] = firstPair[e + 1] - firstPair[e];
        }
        backend.matmuls(xs, ws, ys, batches, n);
        for (int t = 0; t < n; t++) {
            experts[touched[from + t]].downProj().addBias(backend, ys[t], batches[t]);
        }
        Arrays.fill(xs, null);
        Arrays.fill(ys, null);
    }

    /** sum[row] += weight · out[pair] for pairs {@code [base, base + pairs)}, in pair (expert index) order. */
    private void combine(MemorySegment sum, MemorySegment out, int base, int pairs, int hidden) {
        backend.addScaledRows(sum, out, rowOfPair, weightOfPair, base, pairs, hidden);
    }

    /** Expert e's rows of a buffer holding pairs from {@code base} on, rows of {@code cols} floats. */
    private MemorySegment rowsOf(MemorySegment buffer, int e, int base, int cols) {
        long rowBytes = (long) cols * Float.BYTES;
        return buffer.asSlice((firstPair[e] - base) * rowBytes, (firstPair[e + 1] - firstPair[e]) * rowBytes);
    }

    private void ensureCapacity(int pairs) {
        if (rowOfPair.length < pairs) {
            rowOfPair = new int[pairs];
            weightOfPair = new float[pairs];
        }
    }

    @Override
    public String name() {
        return "layers." + layer + ".experts";
    }
}
