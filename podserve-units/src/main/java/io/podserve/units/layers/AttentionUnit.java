package io.podserve.units.layers;

import java.lang.foreign.MemorySegment;

import io.podserve.kernels.Backend;
import io.podserve.kernels.RopeLayout;
import io.podserve.kernels.RopeTable;
import io.podserve.kernels.Weights;
import io.podserve.kernels.attention.AttentionShape;
import io.podserve.kernels.attention.KvCache;
import io.podserve.units.Activation.Hidden;
import io.podserve.units.Step;
import io.podserve.units.Unit;

/**
 * A decoder layer's attention block with its residual add: input RMSNorm, q/k/v projections
 * (one grouped call; biased for GPT-OSS), Qwen3's per-head q/k RMSNorm, RoPE, KV write into the layer's pages,
 * paged causal attention (sliding window and sinks as the layer has them), o_proj, residual.
 * The residual stream is updated in place and returned. Owned by the executor thread.
 */
public final class AttentionUnit implements Unit<Hidden, Hidden> {
    /** The weights of one layer's attention, with the checkpoint's names. */
    public record LayerWeights(
            Weights inputLayernorm, // [1, hidden]
            Linear qProj, // [numHeads · headDim, hidden]
            Linear kProj, // [numKvHeads · headDim, hidden]
            Linear vProj, // [numKvHeads · headDim, hidden]
            Linear oProj, // [hidden, numHeads · headDim]
            Weights qNorm, // [1, headDim] or null
            Weights kNorm, // [1, headDim] or null
            float[] sinks) { // [numHeads] or null
    }

    private static final int NORMED = 0;
    private static final int Q = 1;
    private static final int K = 2;
    private static final int V = 3;
    private static final int ATTENDED = 4;
    private static final int PROJECTED = 5;

    private final int layer;
    private final Backend backend;
    private final LayerWeights w;
    private final AttentionShape shape;
    private final RopeTable rope;
    private final float eps;
    private final Scratch scratch = new Scratch(6);
    private final LinearGroup qkv;
    private final MemorySegment[] qkvOut = new MemorySegment[3];

    public AttentionUnit(int layer, Backend backend, LayerWeights weights, AttentionShape shape, RopeTable rope, float eps) {
        this.layer = layer;
        this.backend = backend;
        this.w = weights;
        this.shape = shape;
        this.rope = rope;
        this.eps = eps;
        this.qkv = new LinearGroup(weights.qProj(), weights.kProj(), weights.vProj());
    }

    @Override
    public Hidden forward(Step step, Hidden x) {
        int rows = x.rows();
        int hidden = x.cols();
        int heads = shape.numHeads();
        int kvHeads = shape.numKvHeads();
        int headDim = shape.headDim();
        MemorySegment normed = scratch.floats(NORMED, (long) rows * hidden);
        MemorySegment q = scratch.floats(Q, (long) rows * heads * headDim);
        MemorySegment k = scratch.floats(K, (long) rows * kvHeads * headDim);
        MemorySegment v = scratch.floats(V, (long) rows * kvHeads * headDim);
        backend.rmsNorm(x.data(), w.inputLayernorm(), normed, rows, hidden, eps);
        qkvOut[0] = q;
        qkvOut[1] = k;
        qkvOut[2] = v;
        qkv.apply(backend, normed, rows, qkvOut);
        if (w.qNorm() != null) {
            backend.rmsNorm(q, w.qNorm(), q, rows * heads, headDim, eps);
            backend.rmsNorm(k, w.kNorm(), k, rows * kvHeads, headDim, eps);
        }
        backend.rope(rope, RopeLayout.HALVES, q, rows, heads, step.positions());
        backend.rope(rope, RopeLayout.HALVES, k, rows, kvHeads, step.positions());
        KvCache cache = step.kvByLayer()[layer];
        cache.write(k, v, rows, step.positions(), step.blockTables());
        MemorySegment attended = scratch.floats(ATTENDED, (long) rows * heads * headDim);
        backend.pagedAttention(shape, cache, q, rows, step.positions(), step.blockTables(), w.sinks(), attended);
        MemorySegment projected = scratch.floats(PROJECTED, (long) rows * hidden);
        w.oProj().apply(backend, attended, projected, rows);
        backend.add(x.data(), projected, x.data(), rows * hidden);
        return x;
    }

    @Override
    public String name() {
        return "layers." + layer + ".self_attn";
    }
}
