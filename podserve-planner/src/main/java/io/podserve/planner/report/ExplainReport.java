package io.podserve.planner.report;

import io.podserve.planner.cost.OpCost;
import io.podserve.planner.cost.StepBreakdown;

import java.io.PrintWriter;
import java.util.Locale;
import java.util.Map;

/** One step broken down by operator: FLOPs, bytes, time and what bounds each. */
public final class ExplainReport {
    private ExplainReport() {
    }

    public static void print(PrintWriter out, String title, StepBreakdown b) {
        out.printf(Locale.ROOT, "%s: %.3f ms%n", title, b.seconds() * 1e3);
        out.printf(Locale.ROOT, "  %-16s %12s %12s %10s %8s  %s%n", "operator", "GFLOP", "MB", "ms", "kernels", "bound by");
        for (OpCost op : b.ops()) {
            out.printf(Locale.ROOT, "  %-16s %12.2f %12.2f %10.3f %8d  %s%n", op.name(), op.flops() / 1e9,
                    op.bytes() / 1e6, op.seconds() * 1e3, op.kernels(), op.kind().label());
        }
        StringBuilder kinds = new StringBuilder();
        for (Map.Entry<OpCost.Kind, Double> e : b.byKind().entrySet()) {
            kinds.append(String.format(Locale.ROOT, "%s %.3f ms, ", e.getKey().label(), e.getValue() * 1e3));
        }
        out.printf("  by bound: %s(communication overlaps compute with micro-batches; host dispatch overlaps the device "
                + "on accelerators)%n", kinds);
    }
}
