package io.podserve.planner.sim;

import io.podserve.planner.cost.StepBatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The simulated scheduler keeps the engine scheduler's rules: budget, chunking, limits, preemption. */
@Timeout(30)
class SchedulerMirrorTest {
    private static SimResult run(FixedStep step, SchedulerLimits limits, Mtp mtp, RankSimulator.Mode mode, RequestSpec... rs) {
        return new RankSimulator(step, limits, mtp, mode).run(rs, 0, null, 0, 1);
    }

    @Test
    void aLoneRequestTakesItsStepsExactly() {
        // prompt 1000 under a budget of 256: 4 chunks, the 4th samples the first token; then 9 decode steps
        SimResult r = run(FixedStep.constant(0.02), new SchedulerLimits(8, 256, 16, 1 << 20), Mtp.NONE,
                RankSimulator.Mode.FULL, new RequestSpec(0, 1000, 10));
        assertEquals(4 * 0.02, r.ttft()[0], 1e-12);
        assertEquals(0.02, r.tpot()[0], 1e-12);
        assertEquals(10, r.outputTokens());
    }

    @Test
    void runningRequestsGoFirstAndTheBudgetCapsAStep() {
        List<StepBatch> steps = new ArrayList<>();
        FixedStep step = new FixedStep(b -> {
            steps.add(b);
            return 0.01;
        }, 1 << 20);
        run(step, new SchedulerLimits(8, 64, 16, 1 << 20), Mtp.NONE, RankSimulator.Mode.FULL,
                new RequestSpec(0, 10, 5), new RequestSpec(0, 100, 5));
        // step 1: request 0's whole prompt (10) + 54 of request 1's; step 2: request 0 decodes 1, request 1 its last 46
        assertEquals(64, steps.get(0).rows());
        assertEquals(47, steps.get(1).rows());
        assertTrue(steps.stream().allMatch(b -> b.rows() <= 64));
    }

    @Test
    void maxNumSeqsQueuesTheRest() {
        SimResult r = run(FixedStep.constant(0.01), new SchedulerLimits(1, 1000, 16, 1 << 20), Mtp.NONE,
                RankSimulator.Mode.FULL, new RequestSpec(0, 10, 3), new RequestSpec(0, 10, 3));
        // the second waits for the first's 3 steps, then runs its own prompt step
        assertEquals(0.01, r.ttft()[0], 1e-12);
        assertEquals(0.04, r.ttft()[1], 1e-12);
    }

    @Test
    void kvPressurePreemptsTheNewestByRecompute() {
        // 4 blocks of 16 tokens: two requests of 16+40 tokens cannot both hold their full context
        SimResult r = run(FixedStep.constant(0.01), new SchedulerLimits(8, 1000, 16, 64), Mtp.NONE,
                RankSimulator.Mode.FULL, new RequestSpec(0, 16, 40), new RequestSpec(0, 16, 40));
        assertTrue(r.preemptions() > 0);
        assertEquals(80, r.outputTokens());
        assertFalse(r.aborted());
    }

    @Test
    void decodeOnlyRanksStartFromTheHandedOffCache() {
        SimResult r = run(FixedStep.constant(0.01), new SchedulerLimits(8, 1000, 16, 1 << 20), Mtp.NONE,
                RankSimulator.Mode.DECODE_ONLY, new RequestSpec(0, 500, 11));
        // the first token came from prefill: 10 more decode steps
        assertEquals(0.01, r.tpot()[0], 1e-12);
        assertEquals(10, r.outputTokens());
    }

    @Test
    void mtpYieldsMoreTokensPerStep() {
        SimResult plain = run(FixedStep.constant(0.01), new SchedulerLimits(8, 1000, 16, 1 << 20), Mtp.NONE,
                RankSimulator.Mode.DECODE_ONLY, new RequestSpec(0, 100, 2001));
        SimResult mtp = run(FixedStep.constant(0.01), new SchedulerLimits(8, 1000, 16, 1 << 20), new Mtp(1, 0.8),
                RankSimulator.Mode.DECODE_ONLY, new RequestSpec(0, 100, 2001));
        assertEquals(0.01, plain.tpot()[0], 1e-12);
        assertEquals(0.01 / 1.8, mtp.tpot()[0], 0.01 / 1.8 * 0.05);
    }

    @Test
    void tooLargeARequestIsAClearError() {
        var e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () -> run(
                FixedStep.constant(0.01), new SchedulerLimits(8, 1000, 16, 64), Mtp.NONE, RankSimulator.Mode.FULL,
                new RequestSpec(0, 100, 10)));
        assertTrue(e.getMessage().contains("110 tokens"), e.getMessage());
    }
}
