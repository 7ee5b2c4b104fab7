package io.podserve.bench.report;

import org.HdrHistogram.Histogram;

import java.util.List;

/**
 * Mean, standard deviation and percentiles of one latency, in milliseconds; all zero when there
 * were no samples (as vLLM reports an empty metric).
 *
 * <p>NOTE: percentiles come from an HdrHistogram of microseconds at 3 significant digits (so within
 * 0.1%), which keeps memory flat however many inter-token gaps a run collects. They are the value
 * at or above the given fraction of samples, not interpolated between two samples as numpy's
 * default is; with few samples p99 is the maximum. Mean and deviation are exact.
 */
public record LatencyStats(long count, double meanMs, double stdMs, double medianMs, double p90Ms, double p99Ms) {
    private static final int SIGNIFICANT_DIGITS = 3;

    public static LatencyStats ofSeconds(List<Double> seconds) {
        if (seconds.isEmpty()) {
            return new LatencyStats(0, 0, 0, 0, 0, 0);
        }
        Histogram micros = new Histogram(SIGNIFICANT_DIGITS);
        double sum = 0;
        for (double s : seconds) {
            micros.recordValue(Math.max(0, Math.round(s * 1e6)));
            sum += s;
        }
        int n = seconds.size();
        double mean = sum / n;
        double squares = 0;
        for (double s : seconds) {
            squares += (s - mean) * (s - mean);
        }
        // Population deviation, as numpy's default.
        return new LatencyStats(n, mean * 1e3, Math.sqrt(squares / n) * 1e3, percentileMs(micros, 50),
                percentileMs(micros, 90), percentileMs(micros, 99));
    }

    private static double percentileMs(Histogram micros, double percentile) {
        return micros.getValueAtPercentile(percentile) / 1e3;
    }
}
