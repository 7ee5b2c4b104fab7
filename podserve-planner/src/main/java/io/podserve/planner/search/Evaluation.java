package io.podserve.planner.search;

/**
 * A strategy's result.
 *
 * @param strategy          the deployment
 * @param chips             chips it uses
 * @param goodput           requests per second at which the SLO fraction is met (0 when never)
 * @param tokensPerChip     output tokens per second per chip at that rate
 * @param ttft              TTFT at the SLO percentile, at the goodput rate (seconds)
 * @param tpot              TPOT at the SLO percentile, at the goodput rate (seconds)
 * @param attainment        fraction of requests meeting the SLO at that rate, simulated jointly
 * @param bottleneck        what limits it: the decode step's dominant cost, or the prefill side
 * @param misfit            why it cannot run (then every number is 0), or null
 */
public record Evaluation(Strategy strategy, int chips, double goodput, double tokensPerChip, double ttft, double tpot,
                         double attainment, String bottleneck, String misfit) {

    public double goodputPerChip() {
        return goodput / chips;
    }

    public boolean feasible() {
        return misfit == null;
    }
}
