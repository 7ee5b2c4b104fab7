package io.podserve.kernels.cpu;

import java.lang.foreign.MemorySegment;

import io.podserve.kernels.RopeLayout;
import io.podserve.kernels.RopeTable;
import io.podserve.kernels.Weights;

/**
 * Large element-wise operations, row norms, RoPE and the weighted row combine spread over a
 * {@link WorkerPool}: the operation's serial kernel runs on slices of {@link #CHUNK_FLOATS} elements
 * (whole rows for RMSNorm and RoPE, column ranges over all rows for the combine), so every element
 * sees the same arithmetic as in one serial call and results are bit-identical. Calls below
 * {@link #MIN_FLOATS} elements run the same chunks on the caller's thread, without a pool dispatch.
 *
 * <p>NOTE: why: a 512-token prefill's residual adds, SwiGLU over 1024 (row, expert) pairs and
 * RMSNorms ran on the caller alone, 84 ms of a 0.92 s prefill on 16 cores (bench-model --breakdown);
 * RoPE another 12 ms.
 *
 * <p>Owned by the backend's caller thread; fields are set before each run.
 */
final class SplitTask implements WorkerPool.Task {
    /** Elements below which a call is not worth a pool dispatch (tens of microseconds serial). */
    static final int MIN_FLOATS = 1 << 16;
    /** Elements per chunk, a multiple of every lane count. */
    static final int CHUNK_FLOATS = 1 << 14;

    private enum Op { ADD, SCALE, SILU, SWIGLU, SWIGLU_CLAMPED, RMS_NORM, ADD_SCALED_ROWS, ROPE }

    /** Columns per chunk of {@link #addScaledRows}: every chunk walks all the rows, in order, over its columns. */
    static final int COLUMN_CHUNK = 128;

    private final WorkerPool pool;
    private Op op;
    private MemorySegment a;
    private MemorySegment b;
    private MemorySegment out;
    private Weights weight; // RMS_NORM
    private float s;
    private float t;
    private int n; // elements, or rows for RMS_NORM, ROPE and ADD_SCALED_ROWS
    private int width; // floats per row (RMS_NORM, ADD_SCALED_ROWS), heads per row (ROPE)
    private int rowsPerChunk; // RMS_NORM, ROPE
    private int[] rows; // ADD_SCALED_ROWS: acc rows, from `from` on
    private float[] weights;
    private int from;
    private RopeTable ropeTable; // ROPE
    private RopeLayout ropeLayout;
    private int[] positions;

    SplitTask(WorkerPool pool) {
        this.pool = pool;
    }

    void add(MemorySegment a, MemorySegment b, MemorySegment out, int n) {
        elementwise(Op.ADD, a, b, out, n, 0, 0);
    }

    void scale(MemorySegment x, float s, MemorySegment out, int n) {
        elementwise(Op.SCALE, x, null, out, n, s, 0);
    }

    void silu(MemorySegment x, MemorySegment out, int n) {
        elementwise(Op.SILU, x, null, out, n, 0, 0);
    }

    void swiglu(MemorySegment gate, MemorySegment up, MemorySegment out, int n) {
        elementwise(Op.SWIGLU, gate, up, out, n, 0, 0);
    }

    void swigluClamped(MemorySegment gate, MemorySegment up, MemorySegment out, int n, float alpha, float limit) {
        elementwise(Op.SWIGLU_CLAMPED, gate, up, out, n, alpha, limit);
    }

    void rmsNorm(MemorySegment x, Weights weight, MemorySegment out, int batch, int dim, float eps) {
        this.op = Op.RMS_NORM;
        this.a = x;
        this.out = out;
        this.weight = weight;
        this.n = batch;
        this.width = dim;
        this.s = eps;
        this.rowsPerChunk = Math.max(1, CHUNK_FLOATS / dim);
        dispatch(Math.ceilDiv(batch, rowsPerChunk), (long) batch * dim);
    }

    /** {@code acc[rows[from + i]] += weights[from + i] · x[i]} for {@code i < count}, split by columns. */
    void addScaledRows(MemorySegment acc, MemorySegment x, int[] rows, float[] weights, int from, int count, int cols) {
        this.op = Op.ADD_SCALED_ROWS;
        this.a = x;
        this.out = acc;
        this.rows = rows;
        this.weights = weights;
        this.from = from;
        this.n = count;
        this.width = cols;
        dispatch(Math.ceilDiv(cols, COLUMN_CHUNK), (long) count * cols);
    }

    /** RoPE over {@code batch} rows of {@code numHeads} heads, rows split over the pool as RMSNorm's are. */
    void rope(RopeTable table, RopeLayout layout, MemorySegment x, int batch, int numHeads, int[] positions) {
        this.op = Op.ROPE;
        this.a = x;
        this.ropeTable = table;
        this.ropeLayout = layout;
        this.positions = positions;
        this.n = batch;
        this.width = numHeads;
        this.rowsPerChunk = Math.max(1, CHUNK_FLOATS / (numHeads * table.headDim()));
        dispatch(Math.ceilDiv(batch, rowsPerChunk), (long) batch * numHeads * table.headDim());
    }

    private void elementwise(Op op, MemorySegment a, MemorySegment b, MemorySegment out, int n, float s, float t) {
        this.op = op;
        this.a = a;
        this.b = b;
        this.out = out;
        this.n = n;
        this.s = s;
        this.t = t;
        dispatch(Math.ceilDiv(n, CHUNK_FLOATS), n);
    }

    /**
     * Runs the operation set in the fields over {@code chunks} chunks, on the pool when it covers
     * {@code floats} of at least {@link #MIN_FLOATS}, else on the caller; then drops its references.
     */
    private void dispatch(int chunks, long floats) {
        try {
            if (floats >= MIN_FLOATS) {
                pool.run(this, chunks);
            } else {
                for (int c = 0; c < chunks; c++) {
                    run(0, c);
                }
            }
        } finally {
            a = null;
            b = null;
            out = null;
            weight = null;
            rows = null;
            weights = null;
            ropeTable = null;
            positions = null;
        }
    }

    @Override
    public void run(int worker, int chunk) {
        switch (op) {
            case ADD_SCALED_ROWS -> {
                int c0 = chunk * COLUMN_CHUNK;
                int len = Math.min(COLUMN_CHUNK, width - c0);
                long rowBytes = (long) width * Float.BYTES;
                for (int i = 0; i < n; i++) {
                    Elementwise.addScaled(out, rows[from + i] * rowBytes + c0 * 4L, a, i * rowBytes + c0 * 4L,
                            weights[from + i], len);
                }
            }
            case ROPE -> {
                int r0 = chunk * rowsPerChunk;
                RopeKernel.apply(ropeTable, ropeLayout, a, r0, Math.min(n, r0 + rowsPerChunk), width, positions);
            }
            case RMS_NORM -> {
                int r0 = chunk * rowsPerChunk;
                int numRows = Math.min(rowsPerChunk, n - r0);
                long at = (long) r0 * width * Float.BYTES;
                long bytes = (long) numRows * width * Float.BYTES;
                RowOps.rmsNorm(a.asSlice(at, bytes), weight, out.asSlice(at, bytes), numRows, width, s);
            }
            default -> elementwiseChunk(chunk);
        }
    }

    /** Chunk {@code chunk} of an element-wise operation: the serial kernel on that slice. */
    private void elementwiseChunk(int chunk) {
        int first = chunk * CHUNK_FLOATS;
        int len = Math.min(CHUNK_FLOATS, n - first);
        long at = first * 4L;
        long bytes = len * 4L;
        MemorySegment x = a.asSlice(at, bytes);
        MemorySegment y = out.asSlice(at, bytes);
        switch (op) {
            case ADD -> Elementwise.add(x, b.asSlice(at, bytes), y, len);
            case SCALE -> Elementwise.scale(x, s, y, len);
            case SILU -> Activations.silu(x, y, len);
            case SWIGLU -> Activations.swiglu(x, b.asSlice(at, bytes), y, len);
            case SWIGLU_CLAMPED -> Activations.swigluClamped(x, b.asSlice(at, bytes), y, len, s, t);
            default -> throw new IllegalStateException(op + " is not element-wise");
        }
    }
}
