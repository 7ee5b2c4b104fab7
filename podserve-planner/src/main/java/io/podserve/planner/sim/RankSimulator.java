package io.podserve.planner.sim;

import io.podserve.planner.cost.StepBatch;
import io.podserve.planner.cost.StepModel;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.SplittableRandom;

/**
 * One data-parallel rank serving a stream of requests, step by step, with the policy of
 * podserve's engine scheduler ({@code io.podserve.engine.sched.Scheduler}): each step, running
 * requests (oldest first) then waiting ones in arrival order get tokens up to the token budget
 * and the running limit; a prompt is prefilled in chunks as the budget allows; when KV blocks run
 * out the newest running request is preempted by recompute and waits at the head of the queue;
 * no request is admitted in a step that preempted. A step's duration comes from the cost model.
 *
 * <p>Modes: {@link Mode#FULL} serves prompt and output; {@link Mode#PREFILL_ONLY} ends a request
 * at its first token (a prefill instance); {@link Mode#DECODE_ONLY} receives requests whose
 * prompt KV arrived from a prefill instance, with their first token already out.
 */
public final class RankSimulator {
    /** What part of a request this rank serves. */
    public enum Mode { FULL, PREFILL_ONLY, DECODE_ONLY }

    private final StepModel cost;
    private final SchedulerLimits limits;
    private final Mtp mtp;
    private final Mode mode;

    public RankSimulator(StepModel cost, SchedulerLimits limits, Mtp mtp, Mode mode) {
        this.cost = cost;
        this.limits = limits;
        this.mtp = mtp;
        this.mode = mode;
    }

    /** A request in flight. */
    private static final class Live {
        final int index;
        final RequestSpec spec;
        int numTokens;      // prompt plus generated so far
        int computed;       // tokens whose KV is computed
        int generated;
        long blocks;
        double firstToken = Double.NaN;
        double start;       // arrival, or hand-off time in DECODE_ONLY

        Live(int index, RequestSpec spec, Mode mode) {
            this.index = index;
            this.spec = spec;
            this.start = spec.arrival();
            this.numTokens = spec.input();
            if (mode == Mode.DECODE_ONLY) {
                numTokens = spec.input() + 1;
                computed = spec.input();
                generated = 1;
                firstToken = spec.arrival();
            }
        }
    }

    /**
     * Runs the requests (sorted by arrival) to completion. When {@code slo} is given, the run
     * stops as soon as more than {@code maxFailures} counted requests are known to miss it.
     */
    public SimResult run(RequestSpec[] requests, int warmup, Slo slo, int maxFailures, long seed) {
        int n = requests.length;
        double[] ttft = new double[n];
        double[] tpot = new double[n];
        Deque<Live> waiting = new ArrayDeque<>();
        List<Live> running = new ArrayList<>();
        List<Live> stepReqs = new ArrayList<>();
        int[] stepRows = new int[limits.maxNumSeqs() + 1];
        SplittableRandom random = new SplittableRandom(seed);
        long freeBlocks = limits.numBlocks();
        int next = 0;
        int done = 0;
        int failures = 0;
        double t = n > 0 ? requests[0].arrival() : 0;
        long outputTokens = 0;
        long steps = 0;
        long rowsSum = 0;
        long preemptions = 0;
        while (done < n) {
            while (next < n && requests[next].arrival() <= t) {
                Live r = new Live(next, requests[next], mode);
                if (blocksFor(r.spec.input() + r.spec.output()) > limits.numBlocks()) {
                    throw new IllegalArgumentException("a request of " + (r.spec.input() + r.spec.output())
                            + " tokens cannot fit a KV cache of " + limits.kvCapacityTokens() + " tokens");
                }
                waiting.addLast(r);
                next++;
            }
            if (running.isEmpty() && waiting.isEmpty()) {
                t = requests[next].arrival();
                continue;
            }
            // schedule: running first, then admission in arrival order
            stepReqs.clear();
            int budget = limits.maxBatchedTokens();
            boolean preempted = false;
            for (int i = 0; i < running.size() && budget > 0; i++) {
                Live r = running.get(i);
                int rows = Math.min(rowsWanted(r), budget);
                boolean self = false;
                while (true) {
                    long need = blocksFor(r.computed + rows) - r.blocks;
                    if (need <= freeBlocks) {
                        freeBlocks -= need;
                        r.blocks += need;
                        break;
                    }
                    Live victim = running.removeLast();
                    freeBlocks += victim.blocks;
                    victim.blocks = 0;
                    victim.computed = 0;
                    waiting.addFirst(victim);
                    preempted = true;
                    preemptions++;
                    if (victim == r) {
                        self = true;
                        break;
                    }
                }
                if (self) {
                    break;
                }
                stepRows[stepReqs.size()] = rows;
                stepReqs.add(r);
                budget -= rows;
            }
            while (!preempted && budget > 0 && running.size() < limits.maxNumSeqs() && !waiting.isEmpty()) {
                Live r = waiting.peekFirst();
                int rows = Math.min(rowsWanted(r), budget);
                long need = blocksFor(r.computed + rows) - r.blocks;
                if (need > freeBlocks) {
                    break;
                }
                freeBlocks -= need;
                r.blocks += need;
                waiting.pollFirst();
                running.add(r);
                stepRows[stepReqs.size()] = rows;
                stepReqs.add(r);
                budget -= rows;
            }
            if (stepReqs.isEmpty()) {
                // nothing fits until something arrives: cannot happen with requests that fit alone
                t = next < n ? Math.max(t, requests[next].arrival()) : t;
                if (next >= n) {
                    throw new IllegalStateException("simulator stalled with " + waiting.size() + " waiting requests");
                }
                continue;
            }
            StepBatch batch = batchOf(stepReqs, stepRows);
            t += cost.seconds(batch);
            steps++;
            rowsSum += batch.rows();
            // update
            for (int i = 0; i < stepReqs.size(); i++) {
                Live r = stepReqs.get(i);
                int rows = stepRows[i];
                r.computed += rows;
                if (r.computed < r.numTokens) {
                    continue; // a prompt chunk that does not reach the end: nothing sampled
                }
                int gained = 1;
                if (r.generated > 0 && mtp.draftTokens() > 0) {
                    for (int d = 0; d < mtp.draftTokens() && random.nextDouble() < mtp.acceptance(); d++) {
                        gained++;
                    }
                }
                gained = Math.min(gained, r.spec.output() - r.generated);
                // accepted drafts keep the KV the verify pass computed; the bonus token has none yet
                r.computed = r.numTokens + gained - 1;
                r.generated += gained;
                r.numTokens += gained;
                outputTokens += gained;
                if (Double.isNaN(r.firstToken)) {
                    r.firstToken = t;
                    ttft[r.index] = t - r.start;
                    if (r.index >= warmup && slo != null && ttft[r.index] > slo.ttftSeconds()) {
                        failures++;
                    }
                }
                boolean finished = r.generated >= r.spec.output() || mode == Mode.PREFILL_ONLY;
                if (finished) {
                    running.remove(r);
                    freeBlocks += r.blocks;
                    r.blocks = 0;
                    if (mode == Mode.DECODE_ONLY) {
                        ttft[r.index] = 0;
                    }
                    tpot[r.index] = r.spec.output() > 1 && mode != Mode.PREFILL_ONLY
                            ? (t - r.firstToken) / (r.spec.output() - 1) : Double.NaN;
                    if (r.index >= warmup && slo != null && !Double.isNaN(tpot[r.index])
                            && tpot[r.index] > slo.tpotSeconds() && ttft[r.index] <= slo.ttftSeconds()) {
                        failures++;
                    }
                    done++;
                }
            }
            if (slo != null && failures > maxFailures) {
                return new SimResult(ttft, tpot, warmup, t - requests[0].arrival(), outputTokens,
                        (double) rowsSum / steps, preemptions, true);
            }
        }
        return new SimResult(ttft, tpot, warmup, t - requests[0].arrival(), outputTokens,
                steps == 0 ? 0 : (double) rowsSum / steps, preemptions, false);
    }

    /** Rows a request computes next: the rest of its prompt, or one decode token plus MTP drafts. */
    private int rowsWanted(Live r) {
        int rows = r.numTokens - r.computed;
        if (rows == 1 && r.generated > 0) {
            return 1 + mtp.draftTokens();
        }
        return rows;
    }

    private long blocksFor(long tokens) {
        return Math.ceilDiv(tokens, limits.blockSize());
    }

    private StepBatch batchOf(List<Live> reqs, int[] rowsOf) {
        long rows = 0;
        long sampled = 0;
        double pairs = 0;
        double kvRead = 0;
        boolean prefill = false;
        for (int i = 0; i < reqs.size(); i++) {
            Live r = reqs.get(i);
            long n = rowsOf[i];
            long start = r.computed;
            rows += n;
            pairs += n * start + n * (n + 1) / 2.0;
            kvRead += start + n;
            if (start + n >= r.numTokens) {
                sampled++;
            }
            if (r.generated == 0 || n > 1 + mtp.draftTokens()) {
                prefill = true; // prompt chunks and recomputes after preemption run eagerly
            }
        }
        return new StepBatch(rows, reqs.size(), sampled, pairs, kvRead, prefill);
    }
}
