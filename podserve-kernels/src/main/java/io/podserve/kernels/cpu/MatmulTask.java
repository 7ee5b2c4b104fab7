package io.podserve.kernels.cpu;

import java.lang.foreign.MemorySegment;

import io.podserve.kernels.Weights;

/**
 * One matmul spread over the pool: output rows cut into chunks of {@link #ROWS_PER_CHUNK}, each
 * chunk computed for the whole batch by the format's kernel. A single instance is reused for every
 * call (its fields are the call's arguments), so a call allocates nothing.
 *
 * <p>Owned by the backend's caller thread; workers read the fields only during {@link #execute},
 * after the pool's generation bump has published them.
 */
final class MatmulTask implements WorkerPool.Task {
    /**
     * NOTE: 16 rows: a multiple of the tiles' 2 and 4 rows; small enough that a decode matvec has
     * dozens of chunks to balance across cores, large enough that a chunk's weights (16 rows of a
     * 1024-element k-block) sit in L1 while every batch tile of x passes over them.
     */
    static final int ROWS_PER_CHUNK = 16;

    private final WorkerPool pool;
    private MemorySegment x; // f32 [batch, in]
    private Weights w; // [out, in]
    private MemorySegment y; // f32 [batch, out]
    private int batch;
    private MatmulKernel kernel;

    MatmulTask(WorkerPool pool) {
        this.pool = pool;
    }

    void execute(MemorySegment x, Weights w, MemorySegment y, int batch) {
        this.x = x;
        this.w = w;
        this.y = y;
        this.batch = batch;
        this.kernel = MatmulKernel.of(w.format());
        try {
            pool.run(this, (w.rows() + ROWS_PER_CHUNK - 1) / ROWS_PER_CHUNK);
        } finally {
            this.x = null;
            this.w = null;
            this.y = null;
        }
    }

    @Override
    public void run(int chunk) {
        int from = chunk * ROWS_PER_CHUNK;
        kernel.rows(x, w, y, batch, from, Math.min(w.rows(), from + ROWS_PER_CHUNK));
    }
}
