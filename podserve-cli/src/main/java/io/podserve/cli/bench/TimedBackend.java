package io.podserve.cli.bench;

import io.podserve.kernels.Backend;
import io.podserve.kernels.RopeLayout;
import io.podserve.kernels.RopeTable;
import io.podserve.kernels.Weights;
import io.podserve.kernels.attention.AttentionShape;
import io.podserve.kernels.attention.KvCache;

import java.io.PrintWriter;
import java.lang.foreign.MemorySegment;
import java.util.EnumMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * A backend that runs every operation on its delegate and adds up the wall time per kind of
 * operation, so bench-model can say which kernels a step's time goes to. Owned by the benchmark
 * thread, like any backend. Matmuls are also added up per unit kind (named by {@link UnitTimes}) and call site within it, with the
 * weight bytes they read, so the weights' effective read rate inside a step can be set beside the
 * kernels' alone. NOTE: a model built on it takes the generic MLA path (the vector MLA
 * kernel needs the CPU backend's own pool), so DeepSeek-shaped timings through it are not the
 * served ones; the Qwen3/Mixtral/GPT-OSS units call only this interface.
 */
final class TimedBackend implements Backend {
    enum Op { MATMUL, ATTENTION, NORM, ROPE, ACTIVATION, ELEMENTWISE, SOFTMAX }

    private final Backend delegate;
    private final Map<Op, long[]> nanos = new EnumMap<>(Op.class);
    /** Per unit kind: matmul nanoseconds, weight bytes, calls. */
    private final Map<String, long[]> matmulsByUnit = new TreeMap<>();
    private String unit = "outside units";
    private int callInUnit; // matmul calls of the current unit so far: each call site of a unit is its own line

    TimedBackend(Backend delegate) {
        this.delegate = delegate;
        for (Op op : Op.values()) {
            nanos.put(op, new long[1]);
        }
    }

    void reset() {
        nanos.values().forEach(n -> n[0] = 0);
        matmulsByUnit.clear();
    }

    /** Names the unit kind whose matmuls follow ({@link UnitTimes} calls it around each unit). */
    void enterUnit(String kind) {
        unit = kind;
        callInUnit = 0;
    }

    void leaveUnit() {
        unit = "outside units";
        callInUnit = 0;
    }

    /** Prints each kind's time per step and its share of {@code stepSeconds}. */
    void print(PrintWriter out, int steps, double stepSeconds) {
        StringBuilder line = new StringBuilder("  kernels:");
        for (Map.Entry<Op, long[]> e : nanos.entrySet()) {
            double perStep = e.getValue()[0] / 1e9 / steps;
            line.append(String.format(" %s %.2f ms (%.0f%%),", e.getKey().name().toLowerCase(), perStep * 1e3,
                    100 * perStep / stepSeconds));
        }
        line.setLength(line.length() - 1);
        out.println(line);
        StringBuilder mm = new StringBuilder("  matmuls per unit and call site (#n: the unit's n-th matmul call; calls, weight bytes read, time, GB/s):");
        for (Map.Entry<String, long[]> e : matmulsByUnit.entrySet()) {
            long[] v = e.getValue();
            mm.append(String.format(" %s %d, %.3f GB, %.2f ms, %.1f;", e.getKey(), v[2] / steps, v[1] / 1e9 / steps,
                    v[0] / 1e6 / steps, v[0] == 0 ? 0 : (double) v[1] / v[0]));
        }
        mm.setLength(mm.length() - 1);
        out.println(mm);
    }

    private void add(Op op, long t0) {
        nanos.get(op)[0] += System.nanoTime() - t0;
    }

    private void addMatmul(long t0, long bytes) {
        long t = System.nanoTime() - t0;
        nanos.get(Op.MATMUL)[0] += t;
        long[] v = matmulsByUnit.computeIfAbsent(unit + " #" + ++callInUnit, k -> new long[3]);
        v[0] += t;
        v[1] += bytes;
        v[2]++;
    }

    @Override
    public void matmul(MemorySegment x, Weights w, MemorySegment y, int batch) {
        long t0 = System.nanoTime();
        delegate.matmul(x, w, y, batch);
        addMatmul(t0, w.data().byteSize());
    }

    @Override
    public void matmuls(MemorySegment[] xs, Weights[] ws, MemorySegment[] ys, int[] batches, int count) {
        long t0 = System.nanoTime();
        delegate.matmuls(xs, ws, ys, batches, count);
        long bytes = 0;
        for (int g = 0; g < count; g++) {
            bytes += ws[g].data().byteSize();
        }
        addMatmul(t0, bytes);
    }

    @Override
    public void rmsNorm(MemorySegment x, Weights weight, MemorySegment out, int batch, int dim, float eps) {
        long t0 = System.nanoTime();
        delegate.rmsNorm(x, weight, out, batch, dim, eps);
        add(Op.NORM, t0);
    }

    @Override
    public void softmax(MemorySegment x, int rows, int cols) {
        long t0 = System.nanoTime();
        delegate.softmax(x, rows, cols);
        add(Op.SOFTMAX, t0);
    }

    @Override
    public void silu(MemorySegment x, MemorySegment out, int n) {
        long t0 = System.nanoTime();
        delegate.silu(x, out, n);
        add(Op.ACTIVATION, t0);
    }

    @Override
    public void swiglu(MemorySegment gate, MemorySegment up, MemorySegment out, int n) {
        long t0 = System.nanoTime();
        delegate.swiglu(gate, up, out, n);
        add(Op.ACTIVATION, t0);
    }

    @Override
    public void swigluClamped(MemorySegment gate, MemorySegment up, MemorySegment out, int n, float alpha, float limit) {
        long t0 = System.nanoTime();
        delegate.swigluClamped(gate, up, out, n, alpha, limit);
        add(Op.ACTIVATION, t0);
    }

    @Override
    public void add(MemorySegment a, MemorySegment b, MemorySegment out, int n) {
        long t0 = System.nanoTime();
        delegate.add(a, b, out, n);
        add(Op.ELEMENTWISE, t0);
    }

    @Override
    public void scale(MemorySegment x, float s, MemorySegment out, int n) {
        long t0 = System.nanoTime();
        delegate.scale(x, s, out, n);
        add(Op.ELEMENTWISE, t0);
    }

    @Override
    public void addScaled(MemorySegment acc, MemorySegment x, float s, int n) {
        long t0 = System.nanoTime();
        delegate.addScaled(acc, x, s, n);
        add(Op.ELEMENTWISE, t0);
    }

    @Override
    public void addScaledRows(MemorySegment acc, MemorySegment x, int[] rows, float[] weights, int from, int count,
            int cols) {
        long t0 = System.nanoTime();
        delegate.addScaledRows(acc, x, rows, weights, from, count, cols);
        add(Op.ELEMENTWISE, t0);
    }

    @Override
    public void rope(RopeTable table, RopeLayout layout, MemorySegment x, int batch, int numHeads, int[] positions) {
        long t0 = System.nanoTime();
        delegate.rope(table, layout, x, batch, numHeads, positions);
        add(Op.ROPE, t0);
    }

    @Override
    public void pagedAttention(AttentionShape shape, KvCache cache, MemorySegment q, int batch, int[] positions,
            int[][] blockTables, float[] sinks, MemorySegment out) {
        long t0 = System.nanoTime();
        delegate.pagedAttention(shape, cache, q, batch, positions, blockTables, sinks, out);
        add(Op.ATTENTION, t0);
    }

    @Override
    public void close() {
        delegate.close();
    }
}
