package io.podserve.planner.cost;

/**
 * How one instance spreads over its chips: {@code dp} data-parallel attention ranks of {@code tp}
 * tensor-parallel chips each, with the MoE experts spread over all {@code tp·dp} chips in
 * {@code ep} expert-parallel groups of {@code tp·dp/ep} chips (expert tensor parallelism inside a
 * group); {@code microBatches} > 1 overlaps communication with computation (two-batch overlap).
 */
public record Parallelism(int tp, int dp, int ep, int microBatches) {
    public Parallelism {
        if (tp < 1 || dp < 1 || ep < 1 || microBatches < 1) {
            throw new IllegalArgumentException("parallel degrees must be >= 1, got tp" + tp + " dp" + dp + " ep" + ep
                    + " mb" + microBatches);
        }
        if ((tp * dp) % ep != 0) {
            throw new IllegalArgumentException("ep" + ep + " must divide the instance's tp*dp = " + tp * dp + " chips");
        }
    }

    public int chips() {
        return tp * dp;
    }

    /** Chips that shard each expert group's weights (expert tensor parallelism). */
    public int etp() {
        return chips() / ep;
    }

    /**
     * Why this layout cannot run the model, or null when it can: heads and FFN widths must divide
     * by their tensor-parallel degrees.
     */
    public String misfit(ModelShape s, long denseIntermediate, long expertIntermediate) {
        if (s.numHeads() % tp != 0) {
            return "tp" + tp + " does not divide " + s.numHeads() + " attention heads";
        }
        if (denseIntermediate > 0 && s.numDenseLayers() > 0 && denseIntermediate % tp != 0) {
            return "tp" + tp + " does not divide the dense FFN width " + denseIntermediate;
        }
        if (s.isMoe() && expertIntermediate % etp() != 0) {
            return "expert tensor parallelism " + etp() + " does not divide the expert width " + expertIntermediate;
        }
        if (!s.isMoe() && ep > 1) {
            return "ep" + ep + " on a dense model";
        }
        return null;
    }

    @Override
    public String toString() {
        return "tp" + tp + (dp > 1 ? "dp" + dp : "") + (ep > 1 ? "ep" + ep : "") + (microBatches > 1 ? "mb" + microBatches : "");
    }
}
