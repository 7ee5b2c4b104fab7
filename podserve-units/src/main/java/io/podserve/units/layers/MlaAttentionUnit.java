package io.podserve.units.layers;

import java.lang.foreign.MemorySegment;

import io.podserve.kernels.Backend;
import io.podserve.kernels.RopeLayout;
import io.podserve.kernels.RopeTable;
import io.podserve.kernels.Weights;
import io.podserve.kernels.mla.LatentCache;
import io.podserve.kernels.mla.MlaAttention;
import io.podserve.kernels.mla.MlaShape;
import io.podserve.units.Activation.Hidden;
import io.podserve.units.Step;
import io.podserve.units.Unit;

/**
 * DeepSeek-V3's multi-head latent attention block with its residual add: input RMSNorm; the q path
 * ({@code q_a_proj → q_a_layernorm → q_b_proj}, or {@code q_proj} without a q bottleneck) split per
 * head into {@code q_nope} and {@code q_pe}; the kv path ({@code kv_a_proj_with_mqa}) split into the
 * latent {@code c_kv}, normed by {@code kv_a_layernorm}, and the shared rope key {@code k_pe}; RoPE on
 * {@code q_pe} and {@code k_pe}; {@code [c_kv, k_pe]} written to the layer's {@link LatentCache};
 * absorbed attention ({@link MlaAttention}) through {@code kv_b_proj}; {@code o_proj}; residual.
 *
 * <p>NOTE: rotary pairs are adjacent dims ({@link RopeLayout#INTERLEAVED}) rotated in place.
 * transformers' {@code apply_rotary_pos_emb_interleave} first moves pair {@code (2i, 2i+1)} to
 * {@code (i, i + d/2)} and then rotates halves: the same rotated values, permuted, and the same
 * permutation on q and k. Scores are sums of q·k over the rope dims, so only the order of that
 * 16- or 64-term f32 sum differs from the reference.
 *
 * <p>The residual stream is updated in place and returned. Owned by the executor thread.
 */
public final class MlaAttentionUnit implements Unit<Hidden, Hidden> {
    /** The weights of one layer's MLA, with the checkpoint's names. */
    public record LayerWeights(
            Weights inputLayernorm, // [1, hidden]
            Linear qAProj, // [qLoraRank, hidden], or null when q is projected directly
            Weights qALayernorm, // [1, qLoraRank], or null
            Linear qBProj, // [numHeads · (nope + rope), qLoraRank], or q_proj [numHeads · (nope + rope), hidden]
            Linear kvAProjWithMqa, // [kvLoraRank + rope, hidden]
            Weights kvALayernorm, // [1, kvLoraRank]
            Weights kvBProj, // [numHeads · (nope + v), kvLoraRank], as stored (read by the absorbed kernel)
            Linear oProj) { // [hidden, numHeads · v]
    }

    private static final int NORMED = 0;
    private static final int Q_A = 1;
    private static final int Q = 2;
    private static final int Q_NOPE = 3;
    private static final int Q_PE = 4;
    private static final int KV_A = 5;
    private static final int C_KV = 6;
    private static final int K_PE = 7;
    private static final int ATTENDED = 8;
    private static final int PROJECTED = 9;

    private final int layer;
    private final Backend backend;
    private final LayerWeights w;
    private final MlaShape shape;
    private final MlaAttention attention;
    private final RopeTable rope;
    private final float softmaxScale;
    private final float eps;
    private final Scratch scratch = new Scratch(10);
    private final StepSequences sequences = new StepSequences();
    private int[] slots = new int[0];

    /**
     * @param attention    the absorbed kernel; layers of one model may share it (one runs at a time)
     * @param rope         tables over {@code shape.ropeDim()}
     * @param softmaxScale {@code qk_head_dim^-0.5}, times {@code mscale²} under DeepSeek's YaRN
     */
    public MlaAttentionUnit(int layer, Backend backend, LayerWeights weights, MlaShape shape, MlaAttention attention,
            RopeTable rope, float softmaxScale, float eps) {
        shape.checkKvB(weights.kvBProj());
        if (rope.headDim() != shape.ropeDim()) {
            throw new IllegalArgumentException("rope tables cover " + rope.headDim() + " dims, MLA rotates "
                    + shape.ropeDim());
        }
        this.layer = layer;
        this.backend = backend;
        this.w = weights;
        this.shape = shape;
        this.attention = attention;
        this.rope = rope;
        this.softmaxScale = softmaxScale;
        this.eps = eps;
    }

    @Override
    public Hidden forward(Step step, Hidden x) {
        int rows = x.rows();
        int hidden = x.cols();
        MemorySegment normed = scratch.floats(NORMED, (long) rows * hidden);
        backend.rmsNorm(x.data(), w.inputLayernorm(), normed, rows, hidden, eps);
        queries(normed, rows, step.positions());
        LatentCache cache = step.latentByLayer()[layer];
        latents(normed, rows, step, cache);
        int heads = shape.numHeads();
        MemorySegment attended = scratch.floats(ATTENDED, (long) rows * heads * shape.vDim());
        attention.attend(cache, w.kvBProj(), scratch.floats(Q_NOPE, (long) rows * heads * shape.nopeDim()),
                scratch.floats(Q_PE, (long) rows * heads * shape.ropeDim()), sequences.of(step), rows, softmaxScale,
                attended);
        MemorySegment projected = scratch.floats(PROJECTED, (long) rows * hidden);
        w.oProj().apply(backend, attended, projected, rows);
        backend.add(x.data(), projected, x.data(), rows * hidden);
        return x;
    }

    /** q for every head, split into {@code Q_NOPE [rows, heads, nope]} and rotated {@code Q_PE [rows, heads, rope]}. */
    private void queries(MemorySegment normed, int rows, int[] positions) {
        int heads = shape.numHeads();
        int nope = shape.nopeDim();
        int ropeDim = shape.ropeDim();
        int qkDim = nope + ropeDim;
        MemorySegment q = scratch.floats(Q, (long) rows * heads * qkDim);
        if (w.qAProj() != null) {
            int rank = w.qAProj().out();
            MemorySegment qA = scratch.floats(Q_A, (long) rows * rank);
            w.qAProj().apply(backend, normed, qA, rows);
            backend.rmsNorm(qA, w.qALayernorm(), qA, rows, rank, eps);
            w.qBProj().apply(backend, qA, q, rows);
        } else {
            w.qBProj().apply(backend, normed, q, rows);
        }
        MemorySegment qNope = scratch.floats(Q_NOPE, (long) rows * heads * nope);
        MemorySegment qPe = scratch.floats(Q_PE, (long) rows * heads * ropeDim);
        for (int i = 0; i < rows * heads; i++) {
            long from = (long) i * qkDim * Float.BYTES;
            MemorySegment.copy(q, from, qNope, (long) i * nope * Float.BYTES, (long) nope * Float.BYTES);
            MemorySegment.copy(q, from + (long) nope * Float.BYTES, qPe, (long) i * ropeDim * Float.BYTES,
                    (long) ropeDim * Float.BYTES);
        }
        backend.rope(rope, RopeLayout.INTERLEAVED, qPe, rows, heads, positions);
    }

    /**
     * {@code kv_a_proj_with_mqa}, then per row the normed latent and the rotated rope key, written
     * back into the projection's rows (already the cache's row layout) and stored in {@code cache}.
     */
    private void latents(MemorySegment normed, int rows, Step step, LatentCache cache) {
        int lora = shape.kvLoraRank();
        int ropeDim = shape.ropeDim();
        long rowBytes = (long) shape.rowWidth() * Float.BYTES;
        long loraBytes = (long) lora * Float.BYTES;
        long ropeBytes = (long) ropeDim * Float.BYTES;
        MemorySegment kvA = scratch.floats(KV_A, (long) rows * shape.rowWidth());
        MemorySegment cKv = scratch.floats(C_KV, (long) rows * lora);
        MemorySegment kPe = scratch.floats(K_PE, (long) rows * ropeDim);
        w.kvAProjWithMqa().apply(backend, normed, kvA, rows);
        for (int r = 0; r < rows; r++) {
            MemorySegment.copy(kvA, r * rowBytes, cKv, r * loraBytes, loraBytes);
            MemorySegment.copy(kvA, r * rowBytes + loraBytes, kPe, r * ropeBytes, ropeBytes);
        }
        backend.rmsNorm(cKv, w.kvALayernorm(), cKv, rows, lora, eps);
        backend.rope(rope, RopeLayout.INTERLEAVED, kPe, rows, 1, step.positions());
        if (slots.length < rows) {
            slots = new int[rows];
        }
        for (int r = 0; r < rows; r++) {
            MemorySegment.copy(cKv, r * loraBytes, kvA, r * rowBytes, loraBytes);
            MemorySegment.copy(kPe, r * ropeBytes, kvA, r * rowBytes + loraBytes, ropeBytes);
            slots[r] = cache.slot(step.blockTables()[r], step.positions()[r]);
        }
        cache.write(kvA, rows, slots);
    }

    @Override
    public String name() {
        return "layers." + layer + ".self_attn";
    }
}
