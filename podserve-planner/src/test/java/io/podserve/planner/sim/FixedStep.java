package io.podserve.planner.sim;

import io.podserve.planner.cost.OpCost;
import io.podserve.planner.cost.StepBatch;
import io.podserve.planner.cost.StepBreakdown;
import io.podserve.planner.cost.StepModel;

import java.util.List;
import java.util.function.ToDoubleFunction;

/** A step model for simulator tests: a given function of the batch, a given KV capacity. */
record FixedStep(ToDoubleFunction<StepBatch> time, long kvCapacityTokens) implements StepModel {
    static FixedStep constant(double seconds) {
        return new FixedStep(b -> seconds, 1 << 20);
    }

    @Override
    public StepBreakdown breakdown(StepBatch b) {
        double s = time.applyAsDouble(b);
        return new StepBreakdown(List.of(new OpCost("step", OpCost.Kind.COMPUTE, 0, 0, s, 1)), s);
    }

    @Override
    public double kvBytesPerToken() {
        return 1;
    }

    @Override
    public double weightBytesPerChip() {
        return 0;
    }
}
