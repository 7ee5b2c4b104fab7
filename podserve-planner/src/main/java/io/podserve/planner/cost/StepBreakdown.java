package io.podserve.planner.cost;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * A step's operators on one chip and how they add up: device kernels, communication (overlapped
 * with compute when micro-batches allow), and host dispatch (hidden behind the device when the
 * host launches ahead of it asynchronously, added to it when the host is the device, as on CPU).
 *
 * @param ops          the operators, host dispatch last
 * @param seconds      the step's time
 */
public record StepBreakdown(List<OpCost> ops, double seconds) {
    public StepBreakdown {
        ops = List.copyOf(ops);
    }

    /** Seconds spent per kind of bound, summed over operators. */
    public Map<OpCost.Kind, Double> byKind() {
        Map<OpCost.Kind, Double> m = new EnumMap<>(OpCost.Kind.class);
        for (OpCost op : ops) {
            m.merge(op.kind(), op.seconds(), Double::sum);
        }
        return m;
    }

    /** The kind that takes the largest share of the step. */
    public OpCost.Kind bottleneck() {
        return byKind().entrySet().stream().max(Map.Entry.comparingByValue()).map(Map.Entry::getKey)
                .orElse(OpCost.Kind.COMPUTE);
    }
}
