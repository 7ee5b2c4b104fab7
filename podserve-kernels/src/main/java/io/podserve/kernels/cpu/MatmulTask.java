package io.podserve.kernels.cpu;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.Arrays;

import io.podserve.kernels.Weights;

/**
 * A group of independent matmuls spread over the pool in one parallel call: each matmul's output
 * rows cut into chunks of at most {@link #ROWS_PER_CHUNK} (see {@link #chunkRows}), the chunks of all of them numbered one after
 * the other, and every chunk computed for its matmul's whole batch by the format's kernel, which
 * leaves tile sums in the running worker's scratch. A single matmul is a group of one. One instance
 * is reused for every call (its fields are the call's arguments; the arrays only grow), so a call
 * allocates nothing (but for the buffers of x laid out for its path, which grow to the largest batch seen).
 *
 * <p>NOTE: a group, because an MoE layer's experts are many small matmuls (768 rows: 8 chunks, half
 * of 16 cores idle) and one pool call each paid the dispatch and the idle tail once per expert;
 * in one call the workers move from one expert's chunks to the next without waiting.
 *
 * <p>Matmuls that take the batch-lane path ({@link MatmulKernel#usesBatchLanes}) get their x
 * transposed first, in a parallel pass of its own (a tile per chunk), into a buffer every chunk reads;
 * those that take the 4 × 4 / 4 × 2 fused dots ({@link MatmulKernel#usesPairLanes}) get it in {@link PairLanes}
 * layout in the same pass (a row per chunk).
 *
 * <p>Owned by the backend's caller thread; workers read the fields only during {@link #execute},
 * after the pool's generation bump has published them.
 */
final class MatmulTask implements WorkerPool.Task {
    /**
     * NOTE: 96 rows, a multiple of every tile height: enough chunks to balance a decode matvec over
     * the cores (a 768-row matrix still has 8), while each chunk streams 96 contiguous weight rows,
     * long enough for the hardware prefetchers; 16-row chunks measured 2-4× slower in decode.
     */
    static final int ROWS_PER_CHUNK = 96;
    /**
     * Weight bytes a chunk streams at most: {@link #ROWS_PER_CHUNK} rows of 2048 bf16. NOTE: rows of
     * other widths get as many rows as fit (an expert's 768-wide down projection 256, not 96); in 96-row
     * chunks its 1.5 KiB rows made 36 KiB streams that 16 threads read at 98 GB/s against 159 for the
     * 4 KiB rows of the gate ({@code tools/kernels/FewRows.java}, 52 experts, 1 row).
     * {@code -Dpodserve.kernels.chunkBytes=N} moves it (0: {@link #ROWS_PER_CHUNK} rows whatever their width).
     */
    static final long CHUNK_BYTES = Long.getLong("podserve.kernels.chunkBytes", ROWS_PER_CHUNK * 4096L);
    /** The most rows a chunk gets however narrow they are. */
    static final int MAX_CHUNK_ROWS = 512;
    /** {@code -Dpodserve.kernels.balancedChunks=false}: every chunk {@link #ROWS_PER_CHUNK} rows (for comparisons). */
    static final boolean BALANCED_CHUNKS = !"false".equals(System.getProperty("podserve.kernels.balancedChunks"));
    /** The fewest rows a chunk gets however small the matmul (a router's 128 rows: 8 chunks). */
    static final int MIN_CHUNK_ROWS = 16;

    private final WorkerPool pool;
    private final MemorySegment[] sums; // per worker: tile accumulators on their way to y
    private final float[][] floats; // per worker: MatmulKernel.FLOAT_SCRATCH (panels, fused-dot sums, transpose block)
    private MemorySegment[] xs = new MemorySegment[1]; // f32 [batch, in] each
    private Weights[] ws = new Weights[1]; // [out, in] each
    private MemorySegment[] ys = new MemorySegment[1]; // f32 [batch, out] each
    private int[] batches = new int[1];
    private MatmulKernel[] kernels = new MatmulKernel[1];
    private int[] firstChunk = new int[2]; // [count + 1]: chunks of matmul g are [firstChunk[g], firstChunk[g+1])
    // Matmul g's x laid out for its path: transposed for the batch-lane path (lanes[g], at byte xtAt[g] of xt), or
    // in PairLanes layout for the fused dots (pairs[g], at index xtAt[g] of xp); written by chunks
    // [firstPiece[g], firstPiece[g+1]) of the pass before the matmul (a piece of PIECE_K elements of a tile, or a
    // row, per chunk; none when g takes another path, or shares the previous matmul's x).
    private boolean[] lanes = new boolean[1];
    private boolean[] pairs = new boolean[1];
    private long[] xtAt = new long[1];
    private int[] firstPiece = new int[2];
    private MemorySegment xt = MemorySegment.NULL;
    private float[] xp = new float[0]; // the PairLanes layouts (grows only)
    private final WorkerPool.Task layout = this::layOutPiece;
    private int count;
    private int rowsPerChunk = ROWS_PER_CHUNK; // this call's

    MatmulTask(WorkerPool pool) {
        this.pool = pool;
        this.sums = new MemorySegment[pool.numThreads()];
        this.floats = new float[pool.numThreads()][MatmulKernel.FLOAT_SCRATCH];
        Arena arena = Arena.ofAuto();
        for (int i = 0; i < sums.length; i++) {
            // NOTE: 256-byte spacing on top of the size keeps workers' scratch off shared cache lines.
            sums[i] = arena.allocate(MatmulKernel.SCRATCH_BYTES + 256, 256);
        }
    }

    void execute(MemorySegment x, Weights w, MemorySegment y, int batch) {
        ensureCapacity(1);
        xs[0] = x;
        ws[0] = w;
        ys[0] = y;
        batches[0] = batch;
        run(1);
    }

    /** Matmuls {@code g < count}: {@code ys[g] = xs[g] · ws[g]ᵀ} over {@code batches[g]} rows. */
    void executeGroup(MemorySegment[] x, Weights[] w, MemorySegment[] y, int[] batch, int count) {
        ensureCapacity(count);
        System.arraycopy(x, 0, xs, 0, count);
        System.arraycopy(w, 0, ws, 0, count);
        System.arraycopy(y, 0, ys, 0, count);
        System.arraycopy(batch, 0, batches, 0, count);
        run(count);
    }

    private void run(int n) {
        count = n;
        long totalRows = 0;
        long totalBytes = 0;
        for (int g = 0; g < n; g++) {
            totalRows += ws[g].rows();
            totalBytes += ws[g].data().byteSize();
        }
        rowsPerChunk = chunkRows(totalRows, maxChunkRows(totalBytes / Math.max(1, totalRows)), pool.numThreads());
        long xtBytes = 0;
        long xpFloats = 0;
        for (int g = 0; g < n; g++) {
            kernels[g] = MatmulKernel.of(ws[g].format());
            firstChunk[g + 1] = firstChunk[g] + Math.ceilDiv(ws[g].rows(), rowsPerChunk);
            int kv = ws[g].cols() / MatmulKernel.STEP * MatmulKernel.STEP;
            lanes[g] = MatmulKernel.usesBatchLanes(batches[g]) && kv > 0;
            pairs[g] = kernels[g].usesPairLanes(batches[g]) && kv > 0; // never with lanes[g]
            if ((lanes[g] || pairs[g]) && sharesX(g)) { // q, k and v of one input: laid out once
                xtAt[g] = xtAt[g - 1];
                firstPiece[g + 1] = firstPiece[g];
                continue;
            }
            xtAt[g] = lanes[g] ? xtBytes : pairs[g] ? xpFloats : -1;
            int pieces = lanes[g] ? BatchLanes.tiles(batches[g]) * BatchLanes.pieces(kv) : pairs[g] ? batches[g] : 0;
            firstPiece[g + 1] = firstPiece[g] + pieces;
            xtBytes += lanes[g] ? BatchLanes.bytes(batches[g], kv) : 0;
            xpFloats += pairs[g] ? PairLanes.floats(batches[g], kv) : 0;
        }
        try {
            if (firstPiece[n] > 0) {
                if (xt.byteSize() < xtBytes) {
                    // Grows only; an auto arena lets the old buffer go with its last reference.
                    xt = Arena.ofAuto().allocate(Math.max(xtBytes, 2 * xt.byteSize()), 64);
                }
                if (xp.length < xpFloats) {
                    xp = new float[Math.toIntExact(Math.max(xpFloats, Math.min(2L * xp.length, Integer.MAX_VALUE - 8)))];
                }
                pool.run(layout, firstPiece[n]);
            }
            pool.run(this, firstChunk[n]);
        } finally {
            Arrays.fill(xs, 0, n, null);
            Arrays.fill(ws, 0, n, null);
            Arrays.fill(ys, 0, n, null);
        }
    }

    /**
     * Rows per chunk for a call of {@code totalRows} output rows on {@code threads} threads: as many
     * rounds of one chunk per thread as {@code maxRows}-row chunks would need, with the rows
     * shared out evenly over them (a multiple of 8, at least {@link #MIN_CHUNK_ROWS}). NOTE: a decode's
     * o_proj (2048 rows) in 96-row chunks is 22 chunks, a second round on 16 threads where 10 idle;
     * 64-row chunks make it two full rounds.
     */
    static int chunkRows(long totalRows, int maxRows, int threads) {
        if (!BALANCED_CHUNKS) {
            return maxRows;
        }
        long rounds = Math.max(1, Math.ceilDiv(totalRows, (long) threads * maxRows));
        long rows = Math.ceilDiv(totalRows, threads * rounds);
        return (int) Math.clamp(Math.ceilDiv(rows, 8) * 8, MIN_CHUNK_ROWS, maxRows);
    }

    /** The most rows of {@code rowBytes} each that a chunk takes: {@link #CHUNK_BYTES} worth, a multiple of 8. */
    static int maxChunkRows(long rowBytes) {
        if (CHUNK_BYTES <= 0 || rowBytes <= 0) {
            return ROWS_PER_CHUNK;
        }
        return (int) Math.clamp(CHUNK_BYTES / rowBytes / 8 * 8, MIN_CHUNK_ROWS, MAX_CHUNK_ROWS);
    }

    /** Whether matmul g reads the x that matmul g - 1 had laid out (same segment, rows, width and layout). */
    private boolean sharesX(int g) {
        return g > 0 && xtAt[g - 1] >= 0 && xs[g] == xs[g - 1] && batches[g] == batches[g - 1]
                && ws[g].cols() == ws[g - 1].cols() && lanes[g] == lanes[g - 1] && pairs[g] == pairs[g - 1];
    }

    private void ensureCapacity(int n) {
        if (xs.length < n) {
            int size = Math.max(n, 2 * xs.length);
            xs = new MemorySegment[size];
            ws = new Weights[size];
            ys = new MemorySegment[size];
            batches = new int[size];
            kernels = new MatmulKernel[size];
            firstChunk = new int[size + 1];
            xtAt = new long[size];
            firstPiece = new int[size + 1];
            lanes = new boolean[size];
            pairs = new boolean[size];
        }
    }

    @Override
    public void run(int worker, int chunk) {
        int g = groupOf(firstChunk, chunk);
        int from = (chunk - firstChunk[g]) * rowsPerChunk;
        int to = Math.min(ws[g].rows(), from + rowsPerChunk);
        if (lanes[g]) {
            kernels[g].rowsBatchLanes(xs[g], xt, xtAt[g], ws[g], ys[g], batches[g], from, to, sums[worker],
                    floats[worker]);
        } else {
            kernels[g].rows(xs[g], xp, (int) xtAt[g], ws[g], ys[g], batches[g], from, to, sums[worker], floats[worker]);
        }
    }

    /**
     * Chunk of the layout pass: one piece of one tile of a batch-lane matmul's x, or one row of a fused-dot
     * matmul's x.
     */
    private void layOutPiece(int worker, int chunk) {
        int g = groupOf(firstPiece, chunk);
        int in = ws[g].cols();
        int kv = in / MatmulKernel.STEP * MatmulKernel.STEP;
        int local = chunk - firstPiece[g];
        if (pairs[g]) {
            PairLanes.deinterleave(xs[g], in, local, kv, xp, (int) xtAt[g]);
            return;
        }
        int pieces = BatchLanes.pieces(kv);
        BatchLanes.transpose(xs[g], in, batches[g], kv, local / pieces, local % pieces, xt, xtAt[g], floats[worker]);
    }

    /**
     * The matmul that owns {@code chunk}: the last g with {@code first[g] <= chunk} (matmuls with no
     * chunks in {@code first} are skipped over, as the next one starts where they do).
     */
    private int groupOf(int[] first, int chunk) {
        int lo = 0;
        int hi = count - 1;
        while (lo < hi) {
            int mid = (lo + hi + 1) >>> 1;
            if (first[mid] <= chunk) {
                lo = mid;
            } else {
                hi = mid - 1;
            }
        }
        return lo;
    }
}
