package io.podserve.planner.search;

import java.util.function.DoublePredicate;

/** The highest rate a monotone test passes, by bisection from an estimate. */
final class Goodput {
    static final int STEPS = 9;

    private Goodput() {
    }

    /**
     * Brackets the answer starting from {@code estimate} (doubling while the test still passes),
     * then halves the bracket {@link #STEPS} times. Returns 0 when even a tiny rate fails.
     */
    static double bisect(DoublePredicate passes, double estimate) {
        if (!(estimate > 0)) {
            return 0;
        }
        double lo = 0;
        double hi = 1.3 * estimate;
        for (int i = 0; i < 6 && passes.test(hi); i++) {
            lo = hi;
            hi *= 2;
        }
        for (int i = 0; i < STEPS; i++) {
            double mid = (lo + hi) / 2;
            if (passes.test(mid)) {
                lo = mid;
            } else {
                hi = mid;
            }
        }
        return lo;
    }
}
