package io.podserve.planner.sim;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The simulator against queueing theory. Requests of one prompt token and one output token on a
 * rank running one at a time, each step taking D, form an M/D/1 queue: mean wait
 * W = rho D / (2 (1 - rho)) (Pollaczek–Khinchine), and TTFT = wait + D.
 */
@Timeout(60)
class QueueingTest {
    private static double meanWait(double rho, Workload w) {
        double d = 0.01;
        RankSimulator sim = new RankSimulator(FixedStep.constant(d), new SchedulerLimits(1, 1, 16, 1 << 20), Mtp.NONE,
                RankSimulator.Mode.FULL);
        SimResult r = sim.run(w.generate(rho / d, 200_000, 42), 1000, null, 0, 1);
        return r.meanTtft() - d;
    }

    @Test
    void md1MeanWaitAtModerateLoad() {
        double d = 0.01;
        for (double rho : new double[] {0.5, 0.7}) {
            double expected = rho * d / (2 * (1 - rho));
            double measured = meanWait(rho, Workload.poisson(1, 1));
            assertEquals(expected, measured, 0.05 * expected, "M/D/1 at rho " + rho);
        }
    }

    @Test
    void gammaArrivalsFollowKingmansFormula() {
        // G/D/1 with gap CV c: Kingman's approximation W ~ rho/(1-rho) * c^2/2 * D, close at high load
        double d = 0.01;
        double rho = 0.85;
        double cv = 1.5;
        Workload w = new Workload(Workload.Arrivals.GAMMA, cv, 1, 1, 0, null);
        double expected = rho / (1 - rho) * (cv * cv / 2) * d;
        assertEquals(expected, meanWait(rho, w), 0.1 * expected);
    }

    @Test
    void poissonGapsHaveTheAskedRate() {
        RequestSpec[] r = Workload.poisson(10, 10).generate(50, 100_000, 3);
        assertEquals(50, r.length / r[r.length - 1].arrival(), 1);
    }
}
