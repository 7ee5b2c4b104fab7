package io.podserve.planner.catalog;

import java.util.Map;

/**
 * One chip (or die) and the links around it, as the cost model sees it. Rates are per chip;
 * efficiencies say what fraction of a peak a kernel of a given size reaches.
 *
 * @param name              catalog name ({@code h100-sxm}, {@code cloudmatrix384}, …)
 * @param description       what it is and where its numbers come from
 * @param peakFlops         dense peak FLOP/s per compute dtype (bf16, fp8, int8, f32)
 * @param memoryBytes       device memory per chip
 * @param memoryBandwidth   device memory bandwidth, bytes/s
 * @param memoryUsable      fraction of memory the server may fill with weights and KV cache
 * @param chipsPerNode      chips joined by the node link
 * @param node              link between chips of one node
 * @param cluster           link between nodes (per chip's NIC)
 * @param superpodChips     chips joined by a SuperPod fabric (0 when none)
 * @param superpod          the SuperPod fabric's link, or null
 * @param dispatchEager     host time to launch one kernel when the step runs eagerly
 * @param dispatchGraph     per-kernel cost when the step replays a captured graph
 * @param stepOverhead      host time per step outside kernels (scheduling, sampling bookkeeping)
 * @param seqOverhead       host time per sequence in a step (per-sequence bookkeeping and launches)
 * @param hostAsync         the host enqueues kernels ahead of the device (GPU), so launch time hides
 *                          behind device time; false when the host runs the kernels itself (CPU)
 * @param groupedExperts    one grouped GEMM launch runs every expert of a layer (GPU stacks); false
 *                          when each touched expert is its own launch (podserve's CPU backend)
 * @param kvDtype           dtype the serving stack stores the KV cache in
 * @param gemmEfficiency    fraction of peak FLOP/s vs rows of a GEMM
 * @param memoryEfficiency  fraction of bandwidth vs bytes a kernel moves
 * @param attentionEfficiency fraction of peak FLOP/s of attention vs query rows
 */
public record Hardware(
        String name,
        String description,
        Map<String, Double> peakFlops,
        double memoryBytes,
        double memoryBandwidth,
        double memoryUsable,
        int chipsPerNode,
        Link node,
        Link cluster,
        int superpodChips,
        Link superpod,
        double dispatchEager,
        double dispatchGraph,
        double stepOverhead,
        double seqOverhead,
        boolean hostAsync,
        boolean groupedExperts,
        String kvDtype,
        EfficiencyCurve gemmEfficiency,
        EfficiencyCurve memoryEfficiency,
        EfficiencyCurve attentionEfficiency) {

    public Hardware {
        peakFlops = Map.copyOf(peakFlops);
        if (!peakFlops.containsKey("bf16")) {
            throw new IllegalArgumentException("hardware '" + name + "': peakFlops needs at least bf16");
        }
        if (chipsPerNode <= 0) {
            throw new IllegalArgumentException("hardware '" + name + "': chipsPerNode must be > 0");
        }
    }

    /** Peak FLOP/s for a compute dtype; a chip without that dtype computes in bf16. */
    public double peak(String dtype) {
        return peakFlops.getOrDefault(dtype, peakFlops.get("bf16"));
    }

    /**
     * The link a collective over {@code groupSize} chips runs on: the node link inside a node,
     * the SuperPod fabric inside a SuperPod, the cluster network beyond.
     */
    public Link linkFor(int groupSize) {
        if (groupSize <= chipsPerNode) {
            return node;
        }
        if (superpod != null && groupSize <= superpodChips) {
            return superpod;
        }
        return cluster;
    }

    /** Bytes the whole memory can give the server for weights and KV. */
    public double usableBytes() {
        return memoryBytes * memoryUsable;
    }

    /** The same chip with host costs and efficiency curves replaced (what calibration fits). */
    public Hardware withCalibration(double perKernel, double perStep, double perSequence, EfficiencyCurve gemm,
            EfficiencyCurve memory, EfficiencyCurve attention) {
        return new Hardware(name, description, peakFlops, memoryBytes, memoryBandwidth, memoryUsable, chipsPerNode, node,
                cluster, superpodChips, superpod, perKernel, perKernel, perStep, perSequence, hostAsync, groupedExperts, kvDtype, gemm, memory, attention);
    }

    /** Bytes per element of the KV cache dtype. */
    public double kvElementBytes() {
        return WeightFormat.parse(kvDtype).bytesPerElement();
    }
}
