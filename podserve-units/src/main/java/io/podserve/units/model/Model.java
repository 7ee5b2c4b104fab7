package io.podserve.units.model;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import io.podserve.kernels.Backend;
import io.podserve.kernels.WeightFormat;
import io.podserve.kernels.attention.KvCache;
import io.podserve.kernels.mla.LatentCache;
import io.podserve.model.checkpoint.Checkpoint;
import io.podserve.model.config.ModelConfig;
import io.podserve.units.Activation.Hidden;
import io.podserve.units.Activation.TokenIds;
import io.podserve.units.Step;
import io.podserve.units.layers.EmbeddingUnit;
import io.podserve.units.layers.FinalNormUnit;
import io.podserve.units.layers.LmHeadUnit;
import io.podserve.units.layers.Scratch;
import io.podserve.units.placement.Placement;

/**
 * A model assembled from units: embedding, per layer attention and MLP (or router and experts),
 * final norm and LM head, plus the KV pages of every layer (MLA models: latent pages) and a free
 * list over them. A step runs
 * a batch of chunks of different sequences (prefill chunks and decode tokens, mixed), every unit
 * reached through a {@link Placement}, and returns the logits asked for.
 *
 * <p>Owned by one executor thread: units reuse scratch, and the backend is single-caller. The
 * checkpoint must stay open while the model is used (BF16 weights are its mapped slices).
 */
public final class Model implements AutoCloseable {
    private final ModelConfig config;
    private final ModelOptions options;
    private final Arena arena;
    private final EmbeddingUnit embedding;
    private final DecoderLayer[] layers;
    private final FinalNormUnit finalNorm;
    private final LmHeadUnit lmHead;
    private final KvCache[] kvByLayer; // null for an MLA model
    private final LatentCache[] latentByLayer; // null unless the model uses MLA
    private final BlockAllocator blocks;
    private final Scratch selected = new Scratch(1);
    private final Set<WeightFormat> matrixFormats;

    private Model(ModelConfig config, ModelOptions options, Arena arena, UnitFactory units, WeightLoader weights) {
        this.config = config;
        this.options = options;
        this.arena = arena;
        this.embedding = units.embedding();
        this.layers = new DecoderLayer[config.numLayers()];
        this.kvByLayer = config.isMla() ? null : new KvCache[config.numLayers()];
        this.latentByLayer = config.isMla() ? new LatentCache[config.numLayers()] : null;
        for (int l = 0; l < layers.length; l++) {
            layers[l] = units.layer(l);
            if (config.isMla()) {
                var mla = config.attention().mla();
                latentByLayer[l] = new LatentCache(arena, options.numKvPages(), options.blockSize(),
                        mla.kvLoraRank(), mla.qkRopeHeadDim());
            } else {
                kvByLayer[l] = new KvCache(arena, options.numKvPages(), options.blockSize(),
                        config.attention().numKvHeads(), config.attention().headDim());
            }
        }
        this.finalNorm = units.finalNorm();
        this.lmHead = units.lmHead();
        this.blocks = new BlockAllocator(options.numKvPages(), options.blockSize());
        this.matrixFormats = weights.matrixFormats(); // every unit is built by now
    }

    /** Builds every unit from {@code checkpoint}'s config and weights, to run on {@code backend}. */
    public static Model load(Checkpoint checkpoint, Backend backend, ModelOptions options) {
        Arena arena = Arena.ofShared();
        try {
            WeightLoader weights = new WeightLoader(checkpoint.weights(), options.q8(), arena);
            return new Model(checkpoint.config(), options, arena, new UnitFactory(checkpoint.config(), backend,
                    weights, arena), weights);
        } catch (RuntimeException e) {
            arena.close();
            throw e;
        }
    }

    public ModelConfig config() {
        return config;
    }

    public ModelOptions options() {
        return options;
    }

    /**
     * The formats of the model's weight matrices as its kernels get them: more than one when
     * {@code --quantization q8} leaves the router as stored, or a checkpoint mixes dtypes.
     */
    public Set<WeightFormat> matrixFormats() {
        return matrixFormats;
    }

    /** The KV page free list (pages left, for callers that schedule). */
    public BlockAllocator blocks() {
        return blocks;
    }

    /** A new, empty sequence. */
    public Sequence newSequence() {
        return new Sequence();
    }

    /** Gives a finished sequence's pages back. */
    public void release(Sequence sequence) {
        blocks.release(sequence);
    }

    /**
     * Runs one step: every chunk's tokens appended to its sequence, all chunks in one batch. Each
     * sequence may appear in at most one chunk. Returns the logits of each chunk's rows (all, or
     * the last), in chunk order.
     */
    public Logits step(List<Chunk> chunks, Placement placement) {
        List<PagedChunk> paged = new ArrayList<>(chunks.size());
        for (int i = 0; i < chunks.size(); i++) {
            Chunk c = chunks.get(i);
            Sequence s = c.sequence();
            for (int j = 0; j < i; j++) {
                if (chunks.get(j).sequence() == s) {
                    throw new IllegalArgumentException("chunks " + j + " and " + i + " extend the same sequence");
                }
            }
            checkEnd(i, s.length() + c.tokens().length);
            blocks.ensureCapacity(s, s.length() + c.tokens().length);
            paged.add(new PagedChunk(s.blockTable(), s.length(), c.tokens(), c.logitRows()));
        }
        Logits logits = stepPaged(paged, placement);
        for (Chunk c : chunks) {
            c.sequence().advance(c.tokens().length);
        }
        return logits;
    }

    /**
     * Runs one step over chunks whose KV pages the caller manages (the serving engine). Every
     * chunk's block table must cover its positions, and no two chunks may write the same page.
     * Returns each chunk's {@link PagedChunk#numLogitRows()} last rows of logits, in chunk order.
     */
    public Logits stepPaged(List<PagedChunk> chunks, Placement placement) {
        if (chunks.isEmpty()) {
            throw new IllegalArgumentException("a step needs at least one chunk");
        }
        Step step = describe(chunks);
        int[] ids = new int[step.rows()];
        int row = 0;
        for (PagedChunk c : chunks) {
            System.arraycopy(c.tokens(), 0, ids, row, c.tokens().length);
            row += c.tokens().length;
        }
        Hidden h = placement.call(embedding, step, new TokenIds(ids, step.rows()));
        for (DecoderLayer layer : layers) {
            h = layer.forward(placement, step, h);
        }
        int numLogitRows = chunks.stream().mapToInt(PagedChunk::numLogitRows).sum();
        if (numLogitRows == 0) {
            return new Logits(new float[0], 0, config.vocabSize());
        }
        Hidden logits = placement.call(lmHead, step, placement.call(finalNorm, step, selectRows(chunks, h,
                numLogitRows)));
        float[] values = new float[logits.rows() * logits.cols()];
        MemorySegment.copy(logits.data(), Hidden.F32, 0, values, 0, values.length);
        return new Logits(values, logits.rows(), logits.cols());
    }

    /** Lays out each row's position and block table. */
    private Step describe(List<PagedChunk> chunks) {
        int rows = chunks.stream().mapToInt(c -> c.tokens().length).sum();
        int[] positions = new int[rows];
        int[][] tables = new int[rows][];
        int row = 0;
        for (int i = 0; i < chunks.size(); i++) {
            PagedChunk c = chunks.get(i);
            checkEnd(i, c.end());
            int pagesNeeded = (c.end() + options.blockSize() - 1) / options.blockSize();
            if (c.blockTable().length < pagesNeeded) {
                throw new IllegalArgumentException("chunk " + i + " reaches position " + (c.end() - 1) + " but its block"
                        + " table holds " + c.blockTable().length + " pages of " + options.blockSize());
            }
            for (int t = 0; t < c.tokens().length; t++, row++) {
                positions[row] = c.start() + t;
                tables[row] = c.blockTable();
            }
        }
        return new Step(rows, positions, tables, kvByLayer, latentByLayer);
    }

    /** Positions must stay within what the rotary tables cover. */
    private void checkEnd(int chunk, int end) {
        if (end > config.maxPositionEmbeddings()) {
            throw new IllegalArgumentException("chunk " + chunk + " reaches position " + (end - 1) + "; the model covers "
                    + config.maxPositionEmbeddings() + " positions");
        }
    }

    /** The rows whose logits are wanted, gathered in chunk order. */
    private Hidden selectRows(List<PagedChunk> chunks, Hidden h, int n) {
        long rowBytes = (long) h.cols() * Float.BYTES;
        MemorySegment out = selected.floats(0, (long) n * h.cols());
        int src = 0;
        int dst = 0;
        for (PagedChunk c : chunks) {
            int len = c.tokens().length;
            for (int i = len - c.numLogitRows(); i < len; i++) {
                MemorySegment.copy(h.data(), (src + i) * rowBytes, out, (dst++) * rowBytes, rowBytes);
            }
            src += len;
        }
        return new Hidden(out, n, h.cols());
    }

    /** Frees the KV pages and quantized weights; the backend and checkpoint stay open. */
    @Override
    public void close() {
        arena.close();
    }
}
