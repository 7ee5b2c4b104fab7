package io.podserve.cli.bench;

import io.podserve.units.Activation;
import io.podserve.units.Step;
import io.podserve.units.Unit;
import io.podserve.units.placement.Placement;

import java.util.BitSet;

/**
 * A placement that runs units where its delegate does and counts, per step, the distinct experts
 * the routers chose in each MoE layer: those are the expert weights a step must read. Owned by the
 * benchmark thread.
 */
final class ExpertTally implements Placement {
    private final Placement delegate;
    private final BitSet seen = new BitSet();
    private long numDistinct;

    ExpertTally(Placement delegate) {
        this.delegate = delegate;
    }

    @Override
    public <I extends Activation, O extends Activation> O call(Unit<I, O> unit, Step step, I input) {
        O out = delegate.call(unit, step, input);
        if (out instanceof Activation.Routed routed) {
            seen.clear();
            int n = routed.residual().rows() * routed.topK();
            for (int i = 0; i < n; i++) {
                seen.set(routed.expertIds()[i]);
            }
            numDistinct += seen.cardinality();
        }
        return out;
    }

    /** Distinct (layer, expert) pairs used since the last call, summed over layers and steps. */
    long takeDistinct() {
        long n = numDistinct;
        numDistinct = 0;
        return n;
    }
}
