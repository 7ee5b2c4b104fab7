package io.podserve.planner.cost;

import io.podserve.planner.catalog.Hardware;

/**
 * Device time of one kernel: the larger of its FLOPs over the peak (scaled by the efficiency a
 * kernel of its rows reaches) and its bytes over the bandwidth (scaled likewise by its size).
 */
public final class Roofline {
    private final Hardware hw;

    public Roofline(Hardware hw) {
        this.hw = hw;
    }

    public Hardware hardware() {
        return hw;
    }

    /** A GEMM-like kernel of {@code rows} rows: returns its cost, labelled by what bounds it. */
    public OpCost gemm(String name, double rows, double flops, double bytes, String dtype, int layers, int kernels,
            OpCost.Kind memoryKind) {
        double compute = flops / (hw.peak(dtype) * hw.gemmEfficiency().at(rows));
        double memory = memorySeconds(bytes);
        return op(name, compute, memory, flops, bytes, layers, kernels, memoryKind);
    }

    /** Attention over cached positions: FLOPs at the attention efficiency for its query rows. */
    public OpCost attention(String name, double rows, double flops, double bytes, String dtype, int layers, int kernels) {
        double compute = flops / (hw.peak(dtype) * hw.attentionEfficiency().at(rows));
        return op(name, compute, memorySeconds(bytes), flops, bytes, layers, kernels, OpCost.Kind.KV);
    }

    /** An elementwise or reduction kernel (norms, sampling): bound by its bytes. */
    public OpCost elementwise(String name, double flops, double bytes, int layers, int kernels) {
        return op(name, 0, memorySeconds(bytes), flops, bytes, layers, kernels, OpCost.Kind.WEIGHTS);
    }

    private double memorySeconds(double bytes) {
        return bytes <= 0 ? 0 : bytes / (hw.memoryBandwidth() * hw.memoryEfficiency().at(bytes));
    }

    private static OpCost op(String name, double compute, double memory, double flops, double bytes, int layers,
            int kernels, OpCost.Kind memoryKind) {
        OpCost.Kind kind = compute >= memory ? OpCost.Kind.COMPUTE : memoryKind;
        return new OpCost(name, kind, flops * layers, bytes * layers, Math.max(compute, memory) * layers, kernels * layers);
    }
}
