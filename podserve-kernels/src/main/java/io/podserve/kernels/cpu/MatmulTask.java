package io.podserve.kernels.cpu;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

import io.podserve.kernels.Weights;

/**
 * One matmul spread over the pool: output rows cut into chunks of {@link #ROWS_PER_CHUNK}, each
 * chunk computed for the whole batch by the format's kernel, which leaves tile sums in the running
 * worker's scratch. A single instance is reused for every
 * call (its fields are the call's arguments), so a call allocates nothing.
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

    private final WorkerPool pool;
    private final MemorySegment[] sums; // per worker: tile accumulators on their way to y
    private MemorySegment x; // f32 [batch, in]
    private Weights w; // [out, in]
    private MemorySegment y; // f32 [batch, out]
    private int batch;
    private MatmulKernel kernel;

    MatmulTask(WorkerPool pool) {
        this.pool = pool;
        this.sums = new MemorySegment[pool.numThreads()];
        Arena arena = Arena.ofAuto();
        for (int i = 0; i < sums.length; i++) {
            // NOTE: 256-byte spacing on top of the size keeps workers' scratch off shared cache lines.
            sums[i] = arena.allocate(MatmulKernel.SCRATCH_BYTES + 256, 256);
        }
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
    public void run(int worker, int chunk) {
        int from = chunk * ROWS_PER_CHUNK;
        kernel.rows(x, w, y, batch, from, Math.min(w.rows(), from + ROWS_PER_CHUNK), sums[worker]);
    }
}
