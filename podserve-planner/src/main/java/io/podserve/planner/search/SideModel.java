package io.podserve.planner.search;

import io.podserve.planner.cost.AfCost;
import io.podserve.planner.cost.ModelShape;
import io.podserve.planner.cost.RankCost;
import io.podserve.planner.cost.StepBatch;
import io.podserve.planner.cost.StepModel;
import io.podserve.planner.sim.RankSimulator;
import io.podserve.planner.sim.SchedulerLimits;

/**
 * One side's instance shape made concrete: its step cost model, whether it fits, and an analytic
 * estimate of the request rate one of its ranks sustains within the latency targets (the
 * starting point of the simulator's bisection and the bound the search prunes by).
 */
final class SideModel {
    private final PlanContext ctx;
    private final Side side;
    private final StepModel cost;
    private final String misfit;

    SideModel(PlanContext ctx, Side side) {
        this.ctx = ctx;
        this.side = side;
        if (side.role() == Side.Role.ATTENTION_FFN) {
            AfCost af = new AfCost(ctx.shape(), ctx.precision(), ctx.hw(), side.attention(), side.experts(), side.mb());
            this.cost = af;
            this.misfit = !af.expertsFit() ? "experts do not fit " + side.experts() + " expert chips" : kvMisfit();
        } else {
            var c = ctx.config();
            long dense = c.intermediateSize();
            long expert = c.isMoe() ? c.moe().expertIntermediate() : 0;
            this.cost = new RankCost(ctx.shape(), ctx.precision(), ctx.hw(), side.parallelism());
            String shapeMisfit = side.parallelism().misfit(ctx.shape(), dense, expert);
            this.misfit = shapeMisfit != null ? shapeMisfit : kvMisfit();
        }
    }

    private String kvMisfit() {
        long need = ctx.workload().maxLength();
        long have = kvTokens();
        if (have < need) {
            return have == 0 ? "weights do not fit in memory" : "KV cache holds " + have + " tokens, a request needs " + need;
        }
        return null;
    }

    /** Why this side cannot run, or null. */
    String misfit() {
        return misfit;
    }

    StepModel cost() {
        return cost;
    }

    Side side() {
        return side;
    }

    RankSimulator.Mode mode() {
        return switch (side.role()) {
            case COLLOCATED -> RankSimulator.Mode.FULL;
            case PREFILL -> RankSimulator.Mode.PREFILL_ONLY;
            default -> RankSimulator.Mode.DECODE_ONLY;
        };
    }

    SchedulerLimits limits() {
        return new SchedulerLimits(ctx.maxNumSeqs(), ctx.maxBatchedTokens(), ctx.blockSize(), kvTokens());
    }

    /** KV tokens per rank: what the memory holds, or the configured cache size when it fits. */
    long kvTokens() {
        long fits = cost.kvCapacityTokens();
        return ctx.kvCacheBytes() > 0 ? Math.min(fits, (long) (ctx.kvCacheBytes() / cost.kvBytesPerToken())) : fits;
    }

    /** Seconds to move one request's prompt KV from a prefill chip to a decode chip. */
    double handoffSeconds(double inputTokens, int decodeChips) {
        ModelShape s = ctx.shape();
        double bytes = inputTokens * s.numLayers() * s.kvElementsPerToken() * ctx.precision().kvBytes()
                / Math.min(side.tp(), s.numKvHeads());
        return io.podserve.planner.cost.Comm.send(ctx.hw(), side.chipsPerInstance() + decodeChips, bytes);
    }

    /**
     * Requests per second one rank sustains by the roofline alone: the best over batch sizes B
     * (within the running limit and the KV cache) of B decoding sequences whose step meets the
     * TPOT target, plus each request's prefill; prefill ranks count batched prompts only.
     */
    double estimateRankRate() {
        if (misfit != null) {
            return 0;
        }
        double in = ctx.workload().meanInput();
        double out = ctx.workload().meanOutput();
        if (side.role() == Side.Role.PREFILL) {
            long k = Math.max(1, (long) (ctx.maxBatchedTokens() / in));
            long n = (long) Math.ceil(in);
            double step = cost.seconds(new StepBatch(k * n, k, k, k * n * (n + 1) / 2.0, (double) k * n, true));
            return step > ctx.slo().ttftSeconds() ? 0 : k / step;
        }
        double prefill = side.role() == Side.Role.COLLOCATED ? cost.seconds(StepBatch.prefill((long) Math.ceil(in))) : 0;
        if (prefill > ctx.slo().ttftSeconds()) {
            return 0;
        }
        double perStep = ctx.mtp().tokensPerStep();
        long context = (long) (in + out / 2);
        long kvLimit = (long) (kvTokens() / (in + out));
        double best = 0;
        for (long b = 1; b <= Math.min(ctx.maxNumSeqs(), Math.max(1, kvLimit)); b = b < 4 ? b + 1 : b * 3 / 2) {
            double step = cost.seconds(ctx.decodeStep(b, context));
            if (step / perStep > ctx.slo().tpotSeconds()) {
                break;
            }
            best = Math.max(best, 1 / (prefill + out * step / (b * perStep)));
        }
        return best;
    }
}
