package io.podserve.kernels.cpu;

import java.lang.foreign.MemorySegment;
import java.util.Collection;

import io.podserve.kernels.Backend;
import io.podserve.kernels.RopeLayout;
import io.podserve.kernels.RopeTable;
import io.podserve.kernels.WeightFormat;
import io.podserve.kernels.Weights;
import io.podserve.kernels.attention.AttentionShape;
import io.podserve.kernels.attention.KvCache;

/**
 * The CPU backend: Vector API kernels, matmul spread over a {@link WorkerPool} of all cores. With
 * {@code -Dpodserve.kernels.scalar=true} (or {@link #scalar()}) every operation runs its plain
 * scalar reference instead, single-threaded: slow, but the ground truth the vector paths are
 * tested against. {@code -Dpodserve.kernels.threads=N} sets the pool size (default: all cores).
 *
 * <p>Owned by one caller thread at a time (see {@link Backend}): calls reuse a task object.
 */
public final class CpuBackend implements Backend {
    /** System property selecting the scalar references. */
    public static final String SCALAR_PROPERTY = "podserve.kernels.scalar";
    /** System property overriding the number of threads. */
    public static final String THREADS_PROPERTY = "podserve.kernels.threads";

    private final boolean scalar;
    private final WorkerPool pool;
    private final MatmulTask matmul;
    private final AttentionTask attention;
    private final SplitTask split;

    private CpuBackend(boolean scalar, int numThreads) {
        this.scalar = scalar;
        this.pool = new WorkerPool(scalar ? 1 : numThreads);
        this.matmul = new MatmulTask(pool);
        this.attention = new AttentionTask(pool, !scalar);
        this.split = new SplitTask(pool);
    }

    /** Vector or scalar per {@value #SCALAR_PROPERTY}, threads per {@value #THREADS_PROPERTY}. */
    public static CpuBackend create() {
        return new CpuBackend(Boolean.getBoolean(SCALAR_PROPERTY),
                Integer.getInteger(THREADS_PROPERTY, Runtime.getRuntime().availableProcessors()));
    }

    /** The vector kernels on {@code numThreads} threads (the caller counts as one). */
    public static CpuBackend vector(int numThreads) {
        return new CpuBackend(false, numThreads);
    }

    /** The scalar references, single-threaded. */
    public static CpuBackend scalar() {
        return new CpuBackend(true, 1);
    }

    public boolean isScalar() {
        return scalar;
    }

    public int numThreads() {
        return pool.numThreads();
    }

    /**
     * For a model whose matrices come in more than one format (a q8 model's router stays as stored),
     * runs every matmul path of each until the JIT compiles it (about 1.3 s a format on 2 cores; see
     * {@link KernelWarmUp}) and returns true. A model of one format keeps its kernels hot within its
     * first steps, and the scalar references have nothing to compile: both return false at once.
     */
    public boolean warmUpMixedFormats(Collection<WeightFormat> formats) {
        if (scalar || formats.size() < 2) {
            return false;
        }
        KernelWarmUp.run(this, formats, KernelWarmUp.ROUNDS);
        return true;
    }

    /**
     * The backend's worker threads, for kernels outside this interface that spread work the same
     * way ({@code mla.MlaAttention}). Calls on it follow the backend's single-caller rule.
     */
    public WorkerPool workerPool() {
        return pool;
    }

    @Override
    public void matmul(MemorySegment x, Weights w, MemorySegment y, int batch) {
        checkFloats(x, (long) batch * w.cols(), "x");
        checkFloats(y, (long) batch * w.rows(), "y");
        if (scalar) {
            MatmulKernel.reference(x, w, y, batch);
        } else {
            matmul.execute(x, w, y, batch);
        }
    }

    @Override
    public void matmuls(MemorySegment[] xs, Weights[] ws, MemorySegment[] ys, int[] batches, int count) {
        for (int g = 0; g < count; g++) {
            checkFloats(xs[g], (long) batches[g] * ws[g].cols(), "xs", g);
            checkFloats(ys[g], (long) batches[g] * ws[g].rows(), "ys", g);
        }
        if (scalar) {
            for (int g = 0; g < count; g++) {
                MatmulKernel.reference(xs[g], ws[g], ys[g], batches[g]);
            }
        } else if (count > 0) {
            matmul.executeGroup(xs, ws, ys, batches, count);
        }
    }

    @Override
    public void rmsNorm(MemorySegment x, Weights weight, MemorySegment out, int batch, int dim, float eps) {
        if (weight.format() != WeightFormat.F32 && weight.format() != WeightFormat.BF16 || weight.cols() != dim) {
            throw new IllegalArgumentException("RMSNorm weight must be F32 or BF16 [1, " + dim + "], got "
                    + weight.format() + " [" + weight.rows() + ", " + weight.cols() + "]");
        }
        checkFloats(x, (long) batch * dim, "x");
        checkFloats(out, (long) batch * dim, "out");
        if (scalar) {
            RowOps.rmsNormScalar(x, weight, out, batch, dim, eps);
        } else {
            split.rmsNorm(x, weight, out, batch, dim, eps);
        }
    }

    @Override
    public void softmax(MemorySegment x, int rows, int cols) {
        checkFloats(x, (long) rows * cols, "x");
        if (scalar) {
            RowOps.softmaxScalar(x, rows, cols);
        } else {
            RowOps.softmax(x, rows, cols);
        }
    }

    @Override
    public void silu(MemorySegment x, MemorySegment out, int n) {
        checkFloats(x, n, "x");
        checkFloats(out, n, "out");
        if (scalar) {
            Activations.siluScalar(x, out, n);
        } else {
            split.silu(x, out, n);
        }
    }

    @Override
    public void swiglu(MemorySegment gate, MemorySegment up, MemorySegment out, int n) {
        checkFloats(gate, n, "gate");
        checkFloats(up, n, "up");
        checkFloats(out, n, "out");
        if (scalar) {
            Activations.swigluScalar(gate, up, out, n);
        } else {
            split.swiglu(gate, up, out, n);
        }
    }

    @Override
    public void swigluClamped(MemorySegment gate, MemorySegment up, MemorySegment out, int n, float alpha,
            float limit) {
        checkFloats(gate, n, "gate");
        checkFloats(up, n, "up");
        checkFloats(out, n, "out");
        if (scalar) {
            Activations.swigluClampedScalar(gate, up, out, n, alpha, limit);
        } else {
            split.swigluClamped(gate, up, out, n, alpha, limit);
        }
    }

    @Override
    public void add(MemorySegment a, MemorySegment b, MemorySegment out, int n) {
        checkFloats(a, n, "a");
        checkFloats(b, n, "b");
        checkFloats(out, n, "out");
        if (scalar) {
            Elementwise.addScalar(a, b, out, n);
        } else {
            split.add(a, b, out, n);
        }
    }

    @Override
    public void scale(MemorySegment x, float s, MemorySegment out, int n) {
        checkFloats(x, n, "x");
        checkFloats(out, n, "out");
        if (scalar) {
            Elementwise.scaleScalar(x, s, out, n);
        } else {
            split.scale(x, s, out, n);
        }
    }

    @Override
    public void addScaled(MemorySegment acc, MemorySegment x, float s, int n) {
        checkFloats(acc, n, "acc");
        checkFloats(x, n, "x");
        if (scalar) {
            Elementwise.addScaledScalar(acc, x, s, n);
        } else {
            Elementwise.addScaled(acc, x, s, n);
        }
    }

    @Override
    public void addScaledRows(MemorySegment acc, MemorySegment x, int[] rows, float[] weights, int from, int count,
            int cols) {
        checkFloats(x, (long) count * cols, "x");
        if (scalar) {
            Backend.super.addScaledRows(acc, x, rows, weights, from, count, cols);
        } else {
            split.addScaledRows(acc, x, rows, weights, from, count, cols);
        }
    }

    @Override
    public void rope(RopeTable table, RopeLayout layout, MemorySegment x, int batch, int numHeads, int[] positions) {
        checkFloats(x, (long) batch * numHeads * table.headDim(), "x");
        if (positions.length < batch) {
            throw new IllegalArgumentException("need " + batch + " positions, got " + positions.length);
        }
        if (scalar) {
            RopeKernel.applyScalar(table, layout, x, batch, numHeads, positions);
        } else {
            split.rope(table, layout, x, batch, numHeads, positions);
        }
    }

    @Override
    public void pagedAttention(AttentionShape shape, KvCache cache, MemorySegment q, int batch, int[] positions,
            int[][] blockTables, float[] sinks, MemorySegment out) {
        long floats = (long) batch * shape.numHeads() * shape.headDim();
        checkFloats(q, floats, "q");
        checkFloats(out, floats, "out");
        if (cache.rowFloats() != shape.kvRowFloats()) {
            throw new IllegalArgumentException("KV cache rows hold " + cache.rowFloats() + " floats, shape needs "
                    + shape.kvRowFloats());
        }
        if (positions.length < batch || blockTables.length < batch) {
            throw new IllegalArgumentException("need " + batch + " positions and block tables");
        }
        attention.execute(shape, cache, q, batch, positions, blockTables, sinks, out);
    }

    @Override
    public void close() {
        pool.close();
    }

    /** {@link #checkFloats} for element {@code index} of an array argument; no string unless it fails. */
    private static void checkFloats(MemorySegment segment, long numFloats, String name, int index) {
        if (segment.byteSize() < numFloats * Float.BYTES) {
            checkFloats(segment, numFloats, name + "[" + index + "]");
        }
    }

    private static void checkFloats(MemorySegment segment, long numFloats, String name) {
        if (segment.byteSize() < numFloats * Float.BYTES) {
            throw new IllegalArgumentException(name + " holds " + segment.byteSize() / Float.BYTES
                    + " floats, needs " + numFloats);
        }
    }
}
