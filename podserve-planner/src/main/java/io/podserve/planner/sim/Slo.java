package io.podserve.planner.sim;

/**
 * Latency targets: a request meets them when its TTFT and its TPOT (mean time between output
 * tokens after the first) are both within target; goodput counts a rate as served when at least
 * {@code fraction} of requests do.
 */
public record Slo(double ttftSeconds, double tpotSeconds, double fraction) {
    public Slo {
        if (!(ttftSeconds > 0) || !(tpotSeconds > 0) || !(fraction > 0) || fraction > 1) {
            throw new IllegalArgumentException("SLO targets must be > 0 and the fraction in (0, 1]");
        }
    }

    public boolean met(double ttft, double tpot) {
        return ttft <= ttftSeconds && (Double.isNaN(tpot) || tpot <= tpotSeconds);
    }
}
