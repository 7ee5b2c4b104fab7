package io.podserve.kernels.cpu;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.Arrays;

import io.podserve.kernels.Weights;

/**
 * A group of independent matmuls spread over the pool in one parallel call: each matmul's output
 * rows cut into chunks of {@link #ROWS_PER_CHUNK}, the chunks of all of them numbered one after
 * the other, and every chunk computed for its matmul's whole batch by the format's kernel, which
 * leaves tile sums in the running worker's scratch. A single matmul is a group of one. One instance
 * is reused for every call (its fields are the call's arguments; the arrays only grow), so a call
 * allocates nothing.
 *
 * <p>NOTE: a group, because an MoE layer's experts are many small matmuls (768 rows: 8 chunks, half
 * of 16 cores idle) and one pool call each paid the dispatch and the idle tail once per expert;
 * in one call the workers move from one expert's chunks to the next without waiting.
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
    private MemorySegment[] xs = new MemorySegment[1]; // f32 [batch, in] each
    private Weights[] ws = new Weights[1]; // [out, in] each
    private MemorySegment[] ys = new MemorySegment[1]; // f32 [batch, out] each
    private int[] batches = new int[1];
    private MatmulKernel[] kernels = new MatmulKernel[1];
    private int[] firstChunk = new int[2]; // [count + 1]: chunks of matmul g are [firstChunk[g], firstChunk[g+1])
    private int count;

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
        for (int g = 0; g < n; g++) {
            kernels[g] = MatmulKernel.of(ws[g].format());
            firstChunk[g + 1] = firstChunk[g] + Math.ceilDiv(ws[g].rows(), ROWS_PER_CHUNK);
        }
        try {
            pool.run(this, firstChunk[n]);
        } finally {
            Arrays.fill(xs, 0, n, null);
            Arrays.fill(ws, 0, n, null);
            Arrays.fill(ys, 0, n, null);
        }
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
        }
    }

    @Override
    public void run(int worker, int chunk) {
        int g = groupOf(chunk);
        int from = (chunk - firstChunk[g]) * ROWS_PER_CHUNK;
        Weights w = ws[g];
        kernels[g].rows(xs[g], w, ys[g], batches[g], from, Math.min(w.rows(), from + ROWS_PER_CHUNK), sums[worker]);
    }

    /** The matmul that owns {@code chunk}: the last g with {@code firstChunk[g] <= chunk}. */
    private int groupOf(int chunk) {
        int lo = 0;
        int hi = count - 1;
        while (lo < hi) {
            int mid = (lo + hi + 1) >>> 1;
            if (firstChunk[mid] <= chunk) {
                lo = mid;
            } else {
                hi = mid - 1;
            }
        }
        return lo;
    }
}
