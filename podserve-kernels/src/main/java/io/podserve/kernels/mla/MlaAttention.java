package io.podserve.kernels.mla;

import java.lang.foreign.MemorySegment;
import java.util.Arrays;

import io.podserve.kernels.Weights;
import io.podserve.kernels.cpu.WorkerPool;

import static io.podserve.kernels.mla.LatentCache.F32;

/**
 * DeepSeek-V3 multi-head latent attention, weight-absorbed, over a {@link LatentCache}. For query row
 * r at position p and head h, with {@code W_UK[h]} and {@code W_UV[h]} the head's slices of
 * {@code kv_b_proj}:
 *
 * <pre>
 *   q_lat    = W_UK[h]ᵀ · q_nope[r,h]                                  [kvLoraRank]
 *   score(t) = (q_lat · c_kv[t] + q_pe[r,h] · k_pe[t]) · softmaxScale,  t ∈ [0, p]
 *   prob     = softmax(score)
 *   o_lat    = Σ_t prob(t) · c_kv[t]                                   [kvLoraRank]
 *   out[r,h] = W_UV[h] · o_lat                                         [vDim]
 * </pre>
 *
 * which equals transformers' non-absorbed form ({@code k_nope[t] = W_UK c_kv[t]},
 * {@code v[t] = W_UV c_kv[t]}) up to f32 rounding, by associativity. NOTE: absorbing trades the
 * per-token up-projection of every cached latent (t · 128 · 256 · 512 multiply-adds per layer) for
 * two per-query projections, so a decode step reads only the 576-float latent rows.
 *
 * <p>{@code softmaxScale} is the caller's: DeepSeek-V3 uses {@code qk_head_dim^-0.5 · mscale²} with
 * {@code qk_head_dim = nope + rope} and, under YaRN, {@code mscale = 0.1 · mscale_all_dim · ln(factor) + 1}.
 *
 * <p>Work is spread over (query row × block of heads) on a {@link WorkerPool}. Owned by one caller
 * thread at a time: a call's arguments and per-worker scratch live in this object, so a call
 * allocates nothing once the scratch has grown to the longest context seen.
 */
public final class MlaAttention {
    /**
     * NOTE: all heads share each token's latent row (MLA is multi-query in latent space), so a chunk
     * takes 8 heads of one query row and reads each cached row once for all of them, while it sits
     * in L1. One head per chunk re-streamed the whole context per head (2.3 KB a token, 128 times)
     * and was memory-bound; 8 still leaves 16 chunks per decode row for DeepSeek-V3's 128 heads.
     */
    static final int HEADS_PER_CHUNK = 8;
    private final MlaShape shape;
    private final LatentOps ops;
    private final WorkerPool pool; // null: everything on the caller
    private final HeadScratch[] scratch; // per worker
    private final WorkerPool.Task task = this::runChunk; // made once: a call allocates nothing
    // The current call's arguments, published to workers by the pool's generation bump.
    private LatentCache cache;
    private Weights kvB;
    private MemorySegment qNope;
    private MemorySegment qPe;
    private MemorySegment out;
    private float softmaxScale;
    private MlaSequence[] rowSequence = new MlaSequence[0]; // [batch] the sequence of each row, or null

    private MlaAttention(MlaShape shape, LatentOps ops, WorkerPool pool) {
        this.shape = shape;
        this.ops = ops;
        this.pool = pool;
        this.scratch = new HeadScratch[pool == null ? 1 : pool.numThreads()];
        for (int i = 0; i < scratch.length; i++) {
            scratch[i] = new HeadScratch(shape);
        }
    }

    /** The Vector API path on {@code pool}'s threads, or on the caller alone when {@code pool} is null. */
    public static MlaAttention vector(MlaShape shape, WorkerPool pool) {
        return new MlaAttention(shape, VectorLatentOps.INSTANCE, pool);
    }

    /** The scalar reference, single-threaded; takes any weight format. */
    public static MlaAttention scalar(MlaShape shape) {
        return new MlaAttention(shape, ScalarLatentOps.INSTANCE, null);
    }

    /**
     * Attends every query row of {@code sequences} to its sequence's cached tokens. This step's rows
     * must already be in {@code cache} ({@link LatentCache#write}). Rows no sequence covers are left
     * as they are in {@code out}.
     *
     * @param kvB          {@code kv_b_proj} {@code [numHeads·(nope+v), kvLoraRank]}, F32 or BF16 for
     *                     the vector path (other formats run scalar loops)
     * @param qNope        f32 {@code [batch, numHeads, nopeDim]}
     * @param qPe          f32 {@code [batch, numHeads, ropeDim]}, already rotated
     * @param sequences    the batch's sequences; their rows must not overlap
     * @param batch        rows of {@code qNope}, {@code qPe} and {@code out}
     * @param softmaxScale multiplies every score (see the class comment)
     * @param out          f32 {@code [batch, numHeads, vDim]}, ready for {@code o_proj}
     */
    public void attend(LatentCache cache, Weights kvB, MemorySegment qNope, MemorySegment qPe,
            MlaSequence[] sequences, int batch, float softmaxScale, MemorySegment out) {
        check(cache, kvB, qNope, qPe, out, batch);
        int maxContext = mapRows(sequences, batch, cache);
        for (HeadScratch s : scratch) {
            s.ensureContext(maxContext);
        }
        this.cache = cache;
        this.kvB = kvB;
        this.qNope = qNope;
        this.qPe = qPe;
        this.out = out;
        this.softmaxScale = softmaxScale;
        int chunks = batch * headBlocks();
        try {
            if (pool == null) {
                for (int c = 0; c < chunks; c++) {
                    runChunk(0, c);
                }
            } else {
                pool.run(task, chunks);
            }
        } finally {
            this.cache = null;
            this.kvB = null;
            this.qNope = null;
            this.qPe = null;
            this.out = null;
        }
    }

    /** One query row and a block of its heads: chunk = row · headBlocks + block. */
    private void runChunk(int worker, int chunk) {
        int row = chunk / headBlocks();
        int h0 = chunk % headBlocks() * HEADS_PER_CHUNK;
        int heads = Math.min(HEADS_PER_CHUNK, shape.numHeads() - h0);
        MlaSequence seq = rowSequence[row];
        if (seq == null) {
            return;
        }
        HeadScratch s = scratch[worker];
        int context = seq.firstPosition() + (row - seq.firstRow()) + 1; // causal: tokens [0, position]
        for (int j = 0; j < heads; j++) {
            absorbQuery(s, j, row, h0 + j);
        }
        scores(s, heads, seq.blocks(), context);
        for (int j = 0; j < heads; j++) {
            softmax(s.probs[j], context);
        }
        latentOutput(s, heads, seq.blocks(), context);
        for (int j = 0; j < heads; j++) {
            project(s, j, row, h0 + j);
        }
    }

    private int headBlocks() {
        return (shape.numHeads() + HEADS_PER_CHUNK - 1) / HEADS_PER_CHUNK;
    }

    /** {@code q_lat = W_UK[h]ᵀ · q_nope[r,h]}, as a sum of W_UK's rows weighted by q_nope; also loads q_pe. */
    private void absorbQuery(HeadScratch s, int j, int row, int head) {
        int nope = shape.nopeDim();
        long qBase = ((long) row * shape.numHeads() + head) * nope * Float.BYTES;
        int kRow = head * shape.kvBRowsPerHead(); // W_UK[h] row 0
        Arrays.fill(s.qLat[j], 0f);
        for (int i = 0; i < nope; i++) {
            ops.axpyRow(qNope.get(F32, qBase + i * 4L), kvB, kRow + i, s.qLat[j]);
        }
        long peBase = ((long) row * shape.numHeads() + head) * shape.ropeDim() * Float.BYTES;
        MemorySegment.copy(qPe, F32, peBase, s.qPe[j], 0, shape.ropeDim());
    }

    /**
     * {@code probs[j][t] = (q_lat[j] · c_kv[t] + q_pe[j] · k_pe[t]) · scale} for t in {@code [0, context)}.
     * Heads inside tokens: each cached row is read from memory once for the whole head block.
     */
    private void scores(HeadScratch s, int heads, int[] blocks, int context) {
        int lora = shape.kvLoraRank();
        MemorySegment data = cache.data();
        for (int t = 0; t < context; t++) {
            long row = cache.slotOffset(cache.slot(blocks, t));
            for (int j = 0; j < heads; j++) {
                float latent = ops.dot(data, row, s.qLat[j], lora);
                float rope = ops.dot(data, row + lora * 4L, s.qPe[j], shape.ropeDim());
                s.probs[j][t] = (latent + rope) * softmaxScale;
            }
        }
    }

    /** {@code o_lat[j] = Σ_t probs[j][t] · c_kv[t]}, heads inside tokens as in {@link #scores}. */
    private void latentOutput(HeadScratch s, int heads, int[] blocks, int context) {
        for (int j = 0; j < heads; j++) {
            Arrays.fill(s.oLat[j], 0f);
        }
        for (int t = 0; t < context; t++) {
            long row = cache.slotOffset(cache.slot(blocks, t));
            for (int j = 0; j < heads; j++) {
                ops.axpy(s.probs[j][t], cache.data(), row, s.oLat[j], shape.kvLoraRank());
            }
        }
    }

    /** {@code out[r,h][i] = W_UV[h][i] · o_lat}. */
    private void project(HeadScratch s, int j, int row, int head) {
        int v = shape.vDim();
        long outBase = ((long) row * shape.numHeads() + head) * v * Float.BYTES;
        int vRow = head * shape.kvBRowsPerHead() + shape.nopeDim(); // W_UV[h] row 0
        for (int i = 0; i < v; i++) {
            out.set(F32, outBase + i * 4L, ops.dotRow(kvB, vRow + i, s.oLat[j]));
        }
    }

    /** In-place f32 softmax over {@code x[0, n)}, max-subtracted, normalized by division as torch does. */
    static void softmax(float[] x, int n) {
        float max = Float.NEGATIVE_INFINITY;
        for (int i = 0; i < n; i++) {
            max = Math.max(max, x[i]);
        }
        float sum = 0f;
        for (int i = 0; i < n; i++) {
            x[i] = (float) Math.exp(x[i] - max);
            sum += x[i];
        }
        for (int i = 0; i < n; i++) {
            x[i] /= sum;
        }
    }

    /** Fills {@link #rowSequence} and returns the longest context; checks rows and block tables. */
    private int mapRows(MlaSequence[] sequences, int batch, LatentCache cache) {
        if (rowSequence.length < batch) {
            rowSequence = new MlaSequence[batch];
        }
        Arrays.fill(rowSequence, null);
        int maxContext = 0;
        for (MlaSequence seq : sequences) {
            int pages = (seq.contextLength() + cache.blockSize() - 1) / cache.blockSize();
            if (seq.firstRow() + seq.numRows() > batch || seq.blocks().length < pages) {
                throw new IllegalArgumentException("sequence at rows " + seq.firstRow() + "+" + seq.numRows()
                        + ", position " + seq.firstPosition() + " exceeds batch " + batch + " or its "
                        + seq.blocks().length + " blocks");
            }
            for (int i = 0; i < pages; i++) {
                if (seq.blocks()[i] < 0 || seq.blocks()[i] >= cache.numBlocks()) {
                    throw new IndexOutOfBoundsException("block " + seq.blocks()[i] + " of " + cache.numBlocks());
                }
            }
            for (int r = seq.firstRow(); r < seq.firstRow() + seq.numRows(); r++) {
                if (rowSequence[r] != null) {
                    throw new IllegalArgumentException("batch row " + r + " belongs to two sequences");
                }
                rowSequence[r] = seq;
            }
            maxContext = Math.max(maxContext, seq.contextLength());
        }
        return maxContext;
    }

    private void check(LatentCache cache, Weights kvB, MemorySegment qNope, MemorySegment qPe, MemorySegment out,
            int batch) {
        shape.checkKvB(kvB);
        if (cache.kvLoraRank() != shape.kvLoraRank() || cache.ropeDim() != shape.ropeDim()) {
            throw new IllegalArgumentException("cache rows are " + cache.kvLoraRank() + "+" + cache.ropeDim()
                    + ", shape wants " + shape.kvLoraRank() + "+" + shape.ropeDim());
        }
        long heads = (long) batch * shape.numHeads() * Float.BYTES;
        if (qNope.byteSize() < heads * shape.nopeDim() || qPe.byteSize() < heads * shape.ropeDim()
                || out.byteSize() < heads * shape.vDim()) {
            throw new IllegalArgumentException("qNope, qPe or out too small for batch " + batch);
        }
    }

    /** One worker's vectors for a block of heads; probs grows with the longest context. */
    private static final class HeadScratch {
        final float[][] qLat; // [HEADS_PER_CHUNK, kvLoraRank]
        final float[][] qPe;  // [HEADS_PER_CHUNK, ropeDim]
        final float[][] oLat; // [HEADS_PER_CHUNK, kvLoraRank]
        float[][] probs = new float[HEADS_PER_CHUNK][0]; // [HEADS_PER_CHUNK, context]

        HeadScratch(MlaShape shape) {
            qLat = new float[HEADS_PER_CHUNK][shape.kvLoraRank()];
            qPe = new float[HEADS_PER_CHUNK][shape.ropeDim()];
            oLat = new float[HEADS_PER_CHUNK][shape.kvLoraRank()];
        }

        void ensureContext(int context) {
            if (probs[0].length < context) {
                probs = new float[HEADS_PER_CHUNK][Math.max(context, probs[0].length * 2)];
            }
        }
    }
}
