package io.podserve.planner.cost;

import io.podserve.planner.catalog.Hardware;

import java.util.ArrayList;
import java.util.List;

/** Adds a step's operators up into its time: overlap of communication, then host dispatch. */
final class StepTotals {
    private StepTotals() {
    }

    /**
     * Closes a step. With {@code m} micro-batches, communication of one hides behind compute of
     * another: time = max(compute, comm) + min(compute, comm) / m. Host dispatch costs its kernels
     * times the per-kernel launch (eager when the step prefills, a graph replay when it only
     * decodes), plus a cost per step and per sequence; a host that launches asynchronously hides behind the device, a CPU adds to it.
     */
    static StepBreakdown close(List<OpCost> ops, int m, Hardware hw, StepBatch batch) {
        double device = 0;
        double comm = 0;
        int kernels = 0;
        for (OpCost op : ops) {
            if (op.kind() == OpCost.Kind.COMM) {
                comm += op.seconds();
            } else {
                device += op.seconds();
            }
            kernels += op.kernels();
        }
        double busy = m > 1 ? Math.max(device, comm) + Math.min(device, comm) / m : device + comm;
        double perKernel = batch.prefill() ? hw.dispatchEager() : hw.dispatchGraph();
        double fixed = hw.stepOverhead() + batch.seqs() * hw.seqOverhead();
        double host = kernels * perKernel + fixed;
        List<OpCost> all = new ArrayList<>(ops);
        all.add(new OpCost("host_dispatch", OpCost.Kind.HOST, 0, 0, host, 0));
        // NOTE: a GPU host enqueues kernels ahead of the device, so only the larger of the two counts;
        // on a CPU the host runs the kernels itself and every launch adds.
        double seconds = hw.hostAsync() ? Math.max(busy, kernels * perKernel) + fixed : busy + host;
        return new StepBreakdown(all, seconds);
    }

    /** {@code ops} computed for one of {@code m} micro-batches, repeated m times. */
    static List<OpCost> repeat(List<OpCost> ops, int m) {
        if (m == 1) {
            return ops;
        }
        List<OpCost> out = new ArrayList<>(ops.size());
        for (OpCost op : ops) {
            out.add(new OpCost(op.name(), op.kind(), op.flops() * m, op.bytes() * m, op.seconds() * m, op.kernels() * m));
        }
        return out;
    }
}
