package io.podserve.kernels.cpu;

import java.lang.foreign.MemorySegment;

import io.podserve.kernels.attention.AttentionShape;
import io.podserve.kernels.attention.KvCache;

/**
 * Paged attention spread over a {@link WorkerPool}. The batch is cut into blocks: runs of up to
 * {@link QueryBlockAttention#MAX_ROWS} consecutive positions of one sequence (prefill chunks), and single
 * rows. On the vector path a block of at least {@link QueryBlockAttention#MIN_ROWS} rows, and any block once
 * the batch has enough rows to keep the pool busy that way ({@link #DECODE_BLOCKS}), is one chunk per KV
 * head; any other row is one chunk per (row, head). Each worker keeps its own scratch, grown to
 * the longest context seen and then reused, so steady-state calls allocate nothing. Owned by the
 * backend's caller thread; fields are set before each run.
 */
final class AttentionTask implements WorkerPool.Task {
    /**
     * {@code -Dpodserve.kernels.decodeBlocks=false}: decode rows always per (row, head), for comparisons. NOTE:
     * by blocks (one row, the query heads of one KV head) each K row is read once for the group's heads and
     * each V row once for 4 of them: 32 decode rows of Qwen3-30B-A3B's attention (32 / 4 heads) took 15.9 ms
     * of a 2-core step against 24-26 per (row, head). With one or two rows that is 4 or 8 chunks, too few for
     * 16 cores, so it waits for twice as many chunks as threads.
     */
    static final boolean DECODE_BLOCKS = !"false".equals(System.getProperty("podserve.kernels.decodeBlocks"));

    private final WorkerPool pool;
    private final boolean vector;
    private final float[][] scores;
    private final long[][] rowOffsets;
    private final QueryBlockAttention[] blocks;
    // This call's chunks: chunk c covers rows [chunkRow[c], + chunkRows[c]) and KV head chunkHead[c] (a block
    // of rows), or, where chunkRows[c] is 0, row chunkRow[c] and its query head chunkHead[c].
    private int[] chunkRow = new int[0];
    private int[] chunkRows = new int[0];
    private int[] chunkHead = new int[0];
    private AttentionShape shape;
    private KvCache cache;
    private MemorySegment q;
    private MemorySegment out;
    private int[] positions;
    private int[][] blockTables;
    private float[] sinks;

    AttentionTask(WorkerPool pool, boolean vector) {
        this.pool = pool;
        this.vector = vector;
        this.scores = new float[pool.numThreads()][0];
        this.rowOffsets = new long[pool.numThreads()][0];
        this.blocks = new QueryBlockAttention[pool.numThreads()];
        for (int i = 0; i < blocks.length; i++) {
            blocks[i] = new QueryBlockAttention();
        }
    }

    void execute(AttentionShape shape, KvCache cache, MemorySegment q, int batch, int[] positions,
            int[][] blockTables, float[] sinks, MemorySegment out) {
        this.shape = shape;
        this.cache = cache;
        this.q = q;
        this.out = out;
        this.positions = positions;
        this.blockTables = blockTables;
        this.sinks = sinks;
        try {
            pool.run(this, plan(batch));
        } finally {
            this.q = null;
            this.out = null;
            this.blockTables = null;
        }
    }

    /** Fills this call's chunk table and returns its length. */
    private int plan(int batch) {
        int most = batch * shape.numHeads();
        if (chunkRow.length < most) {
            chunkRow = new int[most];
            chunkRows = new int[most];
            chunkHead = new int[most];
        }
        // Decode rows go by blocks too once there are enough (row, KV head) chunks to keep the pool busy.
        boolean manyRows = DECODE_BLOCKS && (long) batch * shape.numKvHeads() >= 2L * pool.numThreads();
        int chunks = 0;
        for (int row = 0; row < batch; ) {
            int len = 1;
            while (row + len < batch && len < QueryBlockAttention.MAX_ROWS && blockTables[row + len] == blockTables[row]
                    && positions[row + len] == positions[row] + len) {
                len++;
            }
            boolean block = vector && (len >= QueryBlockAttention.MIN_ROWS || manyRows);
            if (!block) {
                len = 1;
            }
            int heads = block ? shape.numKvHeads() : shape.numHeads();
            for (int h = 0; h < heads; h++) {
                chunkRow[chunks] = row;
                chunkRows[chunks] = block ? len : 0;
                chunkHead[chunks] = h;
                chunks++;
            }
            row += len;
        }
        return chunks;
    }

    @Override
    public void run(int worker, int chunk) {
        int row = chunkRow[chunk];
        if (chunkRows[chunk] > 0) {
            blocks[worker].attend(shape, cache, q, row, chunkRows[chunk], positions[row], chunkHead[chunk],
                    blockTables[row], sinks, out);
            return;
        }
        int head = chunkHead[chunk];
        int position = positions[row];
        if (scores[worker].length <= position) {
            scores[worker] = new float[Math.max(position + 1, 2 * scores[worker].length)];
            rowOffsets[worker] = new long[scores[worker].length];
        }
        AttentionKernel.attendHead(shape, cache, q, row, head, position, blockTables[row], sinks, out,
                scores[worker], rowOffsets[worker], vector);
    }
}
