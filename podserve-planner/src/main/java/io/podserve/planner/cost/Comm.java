package io.podserve.planner.cost;

import io.podserve.planner.catalog.Hardware;
import io.podserve.planner.catalog.Link;

/**
 * Collectives under the alpha-beta model on the link a group of that size spans
 * ({@link Hardware#linkFor}). Bytes are per chip.
 */
public final class Comm {
    private Comm() {
    }

    /**
     * Ring all-reduce of {@code bytes} over {@code group} chips: each chip sends and receives
     * 2(g-1)/g of the buffer; latency grows with the log of the group (tree phases for small buffers).
     */
    public static double allReduce(Hardware hw, int group, double bytes) {
        if (group <= 1 || bytes <= 0) {
            return 0;
        }
        Link l = hw.linkFor(group);
        return 2 * Math.ceil(log2(group)) * l.latency() + 2.0 * (group - 1) / group * bytes / l.bandwidth();
    }

    /**
     * All-to-all (MoE dispatch or combine) where each chip sends {@code bytes}, the share
     * (g-1)/g of which leaves the chip.
     */
    public static double allToAll(Hardware hw, int group, double bytes) {
        if (group <= 1 || bytes <= 0) {
            return 0;
        }
        Link l = hw.linkFor(group);
        return l.latency() + bytes * (group - 1) / group / l.bandwidth();
    }

    /** A point-to-point transfer between chips {@code span} apart (KV hand-off, attention↔expert). */
    public static double send(Hardware hw, int span, double bytes) {
        if (bytes <= 0) {
            return 0;
        }
        return hw.linkFor(Math.max(span, 2)).seconds(bytes);
    }

    private static double log2(int x) {
        return Math.log(x) / Math.log(2);
    }
}
