package io.podserve.cli.plan;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.podserve.kernels.cpu.MachineLimits;

import java.lang.management.ManagementFactory;

/**
 * A hardware profile of the machine at hand as the planner's catalog reads it: measured memory
 * bandwidth and f32 FMA peak, physical memory, and podserve's CPU serving (f32 KV cache, kernels
 * run by the host itself). {@code podserve profile} refines the efficiencies and host costs from
 * operator timings; without it, {@code plan --hardware cpu} uses this quick measurement.
 */
final class CpuProfile {
    private static final ObjectMapper JSON = new ObjectMapper();

    private CpuProfile() {
    }

    /** The measured limits: bytes/s and FLOP/s on all cores. */
    record Limits(double bandwidth, double peakFlops, int cores) {
        static Limits measure() throws Exception {
            int cores = Runtime.getRuntime().availableProcessors();
            return new Limits(MachineLimits.readBandwidthGBs(1L << 30, cores) * 1e9, MachineLimits.peakGflops(cores) * 1e9, cores);
        }
    }

    /** A profile named {@code cpu} with default efficiencies and host costs. */
    static ObjectNode profile(Limits limits, double stepOverhead, double perKernel, ObjectNode efficiency) {
        ObjectNode p = JSON.createObjectNode();
        p.put("name", "cpu");
        p.put("description", String.format(java.util.Locale.ROOT,
                "this machine: %d cores, measured %.1f GB/s read bandwidth, %.0f GFLOP/s f32 FMA peak",
                limits.cores(), limits.bandwidth() / 1e9, limits.peakFlops() / 1e9));
        ObjectNode peaks = p.putObject("peakFlops");
        peaks.put("f32", limits.peakFlops());
        peaks.put("bf16", limits.peakFlops()); // podserve's CPU kernels compute every format in f32
        ObjectNode mem = p.putObject("memory");
        mem.put("bytes", physicalMemory());
        mem.put("bandwidth", limits.bandwidth());
        mem.put("usable", 0.5);
        p.put("chipsPerNode", 1);
        ObjectNode links = p.putObject("links");
        ObjectNode node = links.putObject("node");
        node.put("bandwidth", limits.bandwidth() / 2); // a copy reads and writes
        node.put("latency", 5e-6);
        links.set("cluster", node.deepCopy());
        ObjectNode dispatch = p.putObject("dispatch");
        dispatch.put("eagerPerKernel", perKernel);
        dispatch.put("graphPerKernel", perKernel);
        dispatch.put("perStep", stepOverhead);
        dispatch.put("async", false);
        dispatch.put("groupedExperts", false); // podserve's CPU experts run one matmul per touched expert
        p.put("kvDtype", "f32");
        p.set("efficiency", efficiency != null ? efficiency : defaultEfficiency());
        return p;
    }

    /** Efficiencies before calibration: GEMMs reach most of the FMA peak once rows fill a tile. */
    static ObjectNode defaultEfficiency() {
        ObjectNode e = JSON.createObjectNode();
        e.set("gemm", pairs(new double[][] {{1, 0.3}, {8, 0.5}, {64, 0.6}}));
        e.set("memory", pairs(new double[][] {{1e5, 0.3}, {1e7, 0.8}}));
        e.set("attention", pairs(new double[][] {{1, 0.2}, {256, 0.4}}));
        return e;
    }

    static ArrayNode pairs(double[][] points) {
        ArrayNode a = JSON.createArrayNode();
        for (double[] p : points) {
            a.addArray().add(p[0]).add(p[1]);
        }
        return a;
    }

    private static double physicalMemory() {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            return os.getTotalMemorySize();
        }
        return Runtime.getRuntime().maxMemory();
    }
}
