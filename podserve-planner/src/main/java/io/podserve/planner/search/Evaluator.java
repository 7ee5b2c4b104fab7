package io.podserve.planner.search;

import io.podserve.planner.cost.StepBatch;
import io.podserve.planner.cost.StepBreakdown;
import io.podserve.planner.sim.RankSimulator;
import io.podserve.planner.sim.RequestSpec;
import io.podserve.planner.sim.SimResult;
import io.podserve.planner.sim.Slo;

import java.util.HashMap;
import java.util.Map;

/**
 * Evaluates strategies to goodput. Every rank of a side sees the same load (the router spreads
 * requests evenly), so one rank is simulated at the deployment's rate over the side's ranks.
 *
 * <p>NOTE: prefill and decode sides are simulated apart, paired request by request (both runs draw
 * the same lengths). For the search each side's per-rank goodput is found once, against its own
 * target (TTFT for prefill, TPOT for decode) met by {@code 1 - (1 - f)/2} of requests, so that
 * both together meet {@code f} (union bound); the deployment's goodput is then the smaller side's
 * capacity, with no further simulation for each split of chips between the sides. The reported
 * percentiles come from the joint run at that rate.
 */
public final class Evaluator {
    private final PlanContext ctx;
    private final Map<Side, SideModel> models = new HashMap<>();
    private final Map<Side, Double> rankGoodput = new HashMap<>();
    private long simulations;

    public Evaluator(PlanContext ctx) {
        this.ctx = ctx;
    }

    public PlanContext context() {
        return ctx;
    }

    /** Simulator runs so far (for progress and benchmarks). */
    public long simulations() {
        return simulations;
    }

    SideModel model(Side side) {
        return models.computeIfAbsent(side.shape(), s -> new SideModel(ctx, s));
    }

    /** Why the strategy cannot run, or null. */
    public String misfit(Strategy s) {
        for (Side side : s.sides()) {
            String m = model(side).misfit();
            if (m != null) {
                return side + ": " + m;
            }
        }
        return null;
    }

    /** Roofline estimate of the deployment's request rate (0 when it cannot run). */
    public double estimate(Strategy s) {
        double rate = Double.MAX_VALUE;
        for (Side side : s.sides()) {
            rate = Math.min(rate, model(side).estimateRankRate() * side.ranks());
        }
        return rate;
    }

    /** Goodput by the per-side decomposition (see the class note), in requests per second. */
    public double goodput(Strategy s) {
        if (misfit(s) != null) {
            return 0;
        }
        double rate = Double.MAX_VALUE;
        for (Side side : s.sides()) {
            rate = Math.min(rate, rankGoodput(side) * side.ranks());
        }
        return rate;
    }

    /** Requests per second one rank of this side sustains within its targets (simulated, cached). */
    double goodputPerRank(Side side) {
        return model(side).misfit() == null ? rankGoodput(side) : 0;
    }

    private double rankGoodput(Side side) {
        Double cached = rankGoodput.get(side.shape());
        if (cached != null) {
            return cached;
        }
        SideModel m = model(side);
        Slo slo = sideSlo(m);
        RankSimulator sim = new RankSimulator(m.cost(), m.limits(), ctx.mtp(), m.mode());
        int maxFailures = (int) Math.floor((1 - slo.fraction()) * (ctx.numRequests() - ctx.warmup()));
        double g = Goodput.bisect(rate -> {
            simulations++;
            SimResult r = sim.run(ctx.workload().generate(rate, ctx.numRequests(), ctx.seed()), ctx.warmup(), slo,
                    maxFailures, ctx.seed());
            return r.attainment(slo) >= slo.fraction();
        }, m.estimateRankRate());
        rankGoodput.put(side.shape(), g);
        return g;
    }

    /** The SLO one side is held to: the whole SLO when collocated, its own half otherwise. */
    private Slo sideSlo(SideModel m) {
        Slo slo = ctx.slo();
        double fraction = 1 - (1 - slo.fraction()) / 2;
        return switch (m.side().role()) {
            case COLLOCATED -> slo;
            case PREFILL -> new Slo(Math.max(1e-9, slo.ttftSeconds() - handoff(m)), Double.MAX_VALUE, fraction);
            default -> new Slo(Double.MAX_VALUE, slo.tpotSeconds(), fraction);
        };
    }

    private double handoff(SideModel prefill) {
        return prefill.handoffSeconds(ctx.workload().meanInput(), 1);
    }

    /** Every request's latencies with the whole deployment at {@code rate} requests per second. */
    public SimResult simulate(Strategy s, double rate) {
        SideModel first = model(s.prefill());
        RequestSpec[] reqs = ctx.workload().generate(rate / s.prefill().ranks(), ctx.numRequests(), ctx.seed());
        simulations++;
        SimResult a = new RankSimulator(first.cost(), first.limits(), ctx.mtp(), first.mode())
                .run(reqs, ctx.warmup(), null, 0, ctx.seed());
        if (s.collocated()) {
            return a;
        }
        SideModel second = model(s.decode());
        RequestSpec[] dreqs = ctx.workload().generate(rate / s.decode().ranks(), ctx.numRequests(), ctx.seed());
        simulations++;
        SimResult b = new RankSimulator(second.cost(), second.limits(), ctx.mtp(), second.mode())
                .run(dreqs, ctx.warmup(), null, 0, ctx.seed());
        double[] ttft = a.ttft().clone();
        for (int i = 0; i < ttft.length; i++) {
            ttft[i] += first.handoffSeconds(reqs[i].input(), s.decode().chipsPerInstance());
        }
        return new SimResult(ttft, b.tpot(), ctx.warmup(), Math.max(a.duration(), b.duration()), b.outputTokens(),
                b.meanBatchRows(), a.preemptions() + b.preemptions(), false);
    }

    /** Full evaluation: goodput, then the joint run at that rate for percentiles and attainment. */
    public Evaluation evaluate(Strategy s) {
        String misfit = misfit(s);
        if (misfit != null) {
            return new Evaluation(s, s.chips(), 0, 0, 0, 0, 0, "-", misfit);
        }
        double g = goodput(s);
        if (g <= 0) {
            return new Evaluation(s, s.chips(), 0, 0, Double.NaN, Double.NaN, 0, bottleneck(s, 1, 0), null);
        }
        SimResult r = simulate(s, g);
        double q = ctx.slo().fraction();
        double tokensPerChip = g * ctx.workload().meanOutput() / s.chips();
        return new Evaluation(s, s.chips(), g, tokensPerChip, r.ttftPercentile(q), r.tpotPercentile(q),
                r.attainment(ctx.slo()), bottleneck(s, decodeBatch(s, g, r), g), null);
    }

    /**
     * Mean decoding sequences per decode rank in a run at {@code rate}, by Little's law: arrivals
     * per rank times the median time a request spends decoding.
     */
    private long decodeBatch(Strategy s, double rate, SimResult r) {
        double tpot = r.tpotPercentile(0.5);
        double perRank = rate / s.decode().ranks();
        long b = Double.isNaN(tpot) ? 1 : Math.round(perRank * (ctx.workload().meanOutput() - 1) * tpot);
        return Math.clamp(b, 1, ctx.maxNumSeqs());
    }

    private long meanContext() {
        return (long) (ctx.workload().meanInput() + ctx.workload().meanOutput() / 2);
    }

    private String bottleneck(Strategy s, long batch, double rate) {
        if (s.collocated()) {
            // a collocated rank that spends most of its time in prompt chunks stalls its decodes there
            Side c = s.prefill();
            double prefillBusy = rate / c.ranks()
                    * model(c).cost().seconds(StepBatch.prefill((long) Math.ceil(ctx.workload().meanInput())));
            if (prefillBusy > 0.5) {
                return String.format(java.util.Locale.ROOT, "prefill (%.0f%% of the time; its chunks stall decodes)",
                        Math.min(100, prefillBusy * 100));
            }
        } else {
            double p = rankGoodput(s.prefill()) * s.prefill().ranks();
            double d = rankGoodput(s.decode()) * s.decode().ranks();
            if (p < d) {
                return "prefill capacity";
            }
        }
        StepBreakdown b = model(s.decode()).cost().breakdown(ctx.decodeStep(batch, meanContext()));
        return b.bottleneck().label() + " (decode batch " + batch + ")";
    }

    /** One step of the strategy's decode side at {@code batch} sequences, and of its prefill side on one prompt. */
    public StepBreakdown[] explain(Strategy s, long batch) {
        StepBreakdown decode = model(s.decode()).cost().breakdown(ctx.decodeStep(batch, meanContext()));
        long in = (long) Math.ceil(ctx.workload().meanInput());
        StepBreakdown prefill = model(s.prefill()).cost().breakdown(StepBatch.prefill(Math.min(in, ctx.maxBatchedTokens())));
        return new StepBreakdown[] {decode, prefill};
    }

    /** Tokens of KV cache one rank of this side holds. */
    public long kvCapacityTokens(Side side) {
        return model(side).kvTokens();
    }

    /** The decode batch the strategy runs at its goodput (what {@code --explain} shows by default). */
    public long batchAtGoodput(Strategy s) {
        double g = goodput(s);
        return g > 0 ? decodeBatch(s, g, simulate(s, g)) : 1;
    }
}
