package io.podserve.planner.sim;

import java.util.Arrays;

/**
 * Per-request latencies of a run. Requests are indexed in arrival order; the first
 * {@code warmup} are left out of statistics (they met an empty system). TPOT is NaN for a
 * request that produced one token.
 *
 * @param ttft      seconds from arrival to first token
 * @param tpot      mean seconds between later tokens
 * @param warmup    leading requests excluded from statistics
 * @param duration  seconds from the first arrival to the last completion
 * @param outputTokens tokens generated in all
 * @param meanBatchRows mean token rows per step
 * @param preemptions times a request was preempted
 * @param aborted   the run stopped early because too many requests had already missed the SLO
 */
public record SimResult(double[] ttft, double[] tpot, int warmup, double duration, long outputTokens,
                        double meanBatchRows, long preemptions, boolean aborted) {

    /** The fraction of counted requests meeting the SLO (0 for an aborted run). */
    public double attainment(Slo slo) {
        if (aborted) {
            return 0;
        }
        int met = 0;
        for (int i = warmup; i < ttft.length; i++) {
            if (slo.met(ttft[i], tpot[i])) {
                met++;
            }
        }
        return (double) met / (ttft.length - warmup);
    }

    public double ttftPercentile(double q) {
        return percentile(ttft, q);
    }

    public double tpotPercentile(double q) {
        return percentile(tpot, q);
    }

    public double meanTtft() {
        return Arrays.stream(ttft, warmup, ttft.length).average().orElse(Double.NaN);
    }

    /** Output tokens per second over the run. */
    public double throughput() {
        return outputTokens / duration;
    }

    private double percentile(double[] xs, double q) {
        double[] v = Arrays.stream(xs, warmup, xs.length).filter(x -> !Double.isNaN(x)).sorted().toArray();
        if (v.length == 0) {
            return Double.NaN;
        }
        int i = (int) Math.ceil(q * v.length) - 1;
        return v[Math.clamp(i, 0, v.length - 1)];
    }
}
