package io.podserve.bench.workload;

import org.apache.commons.rng.UniformRandomProvider;
import org.apache.commons.rng.sampling.distribution.AhrensDieterMarsagliaTsangGammaSampler;
import org.apache.commons.rng.sampling.distribution.SharedStateContinuousSampler;
import org.apache.commons.rng.simple.RandomSource;

/**
 * When each request is sent, in seconds after the start of the run.
 *
 * <p>Gaps between requests are gamma-distributed with shape {@code burstiness} and mean
 * {@code 1 / rate}: burstiness 1 is a Poisson process, below 1 burstier, above 1 more regular (the
 * definition vLLM's benchmark uses, so the same flags mean the same load). An infinite rate sends
 * every request at time zero. The first request goes at time zero.
 *
 * <p>NOTE: send times are absolute offsets from the start, not sleeps chained one after another,
 * so time spent sending does not accumulate and stretch the schedule.
 */
public final class ArrivalSchedule {
    private ArrivalSchedule() {
    }

    /** {@code count} send offsets in seconds, non-decreasing; the same seed gives the same offsets. */
    public static double[] offsetsSeconds(int count, double rate, double burstiness, long seed) {
        if (!(rate > 0)) {
            throw new IllegalArgumentException("--request-rate must be positive or inf, got " + rate);
        }
        if (!(burstiness > 0) || Double.isInfinite(burstiness)) {
            throw new IllegalArgumentException("--burstiness must be a positive number, got " + burstiness);
        }
        double[] offsets = new double[count];
        if (Double.isInfinite(rate)) {
            return offsets;
        }
        // A different stream from the dataset's, so changing the rate does not change the prompts.
        UniformRandomProvider random = RandomSource.XO_RO_SHI_RO_128_PP.create(new long[] {seed, 0x5EED_A77AL});
        SharedStateContinuousSampler gap = AhrensDieterMarsagliaTsangGammaSampler.of(random, burstiness,
                1 / (rate * burstiness));
        for (int i = 1; i < count; i++) {
            offsets[i] = offsets[i - 1] + gap.sample();
        }
        return offsets;
    }
}
