package io.podserve.kernels.cpu;

import java.lang.foreign.MemorySegment;

import io.podserve.kernels.attention.AttentionShape;
import io.podserve.kernels.attention.KvCache;

/**
 * Paged attention spread over a {@link WorkerPool}: one chunk per (row, head). Each worker keeps
 * its own score buffer, grown to the longest context seen and then reused, so steady-state calls
 * allocate nothing. Owned by the backend's caller thread; fields are set before each run.
 */
final class AttentionTask implements WorkerPool.Task {
    private final WorkerPool pool;
    private final boolean vector;
    private final float[][] scores;
    private final long[][] rowOffsets;
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
            pool.run(this, batch * shape.numHeads());
        } finally {
            this.q = null;
            this.out = null;
            this.blockTables = null;
        }
    }

    @Override
    public void run(int worker, int chunk) {
        int row = chunk / shape.numHeads();
        int head = chunk % shape.numHeads();
        int position = positions[row];
        if (scores[worker].length <= position) {
            scores[worker] = new float[Math.max(position + 1, 2 * scores[worker].length)];
            rowOffsets[worker] = new long[scores[worker].length];
        }
        AttentionKernel.attendHead(shape, cache, q, row, head, position, blockTables[row], sinks, out,
                scores[worker], rowOffsets[worker], vector);
    }
}
