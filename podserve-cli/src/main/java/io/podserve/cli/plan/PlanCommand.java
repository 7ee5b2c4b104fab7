package io.podserve.cli.plan;

import io.podserve.planner.cost.StepBreakdown;
import io.podserve.planner.report.ExplainReport;
import io.podserve.planner.report.JsonReport;
import io.podserve.planner.report.ParetoChart;
import io.podserve.planner.report.RankedTable;
import io.podserve.planner.search.Evaluation;
import io.podserve.planner.search.Evaluator;
import io.podserve.planner.search.PlanContext;
import io.podserve.planner.search.Search;
import io.podserve.planner.search.SearchResult;
import io.podserve.planner.search.Strategy;
import io.podserve.planner.sim.SimResult;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/** {@code podserve plan}: rank deployments of a model on some chips by goodput per chip. */
@Command(name = "plan", mixinStandardHelpOptions = true,
        description = {"Rank every feasible deployment of a model on N chips (collocated; prefill/decode disaggregated "
                + "xPyD with their own TP/DP/EP; MoE/attention disaggregated decode) by goodput per chip: the highest "
                + "request rate at which --slo-fraction of requests meet both the TTFT and the TPOT target, from an "
                + "operator-level roofline cost model and a discrete-event simulation of the engine's scheduler.",
                "Strategy syntax (for --explain and --evaluate): sides joined by '+', each [C|P|D|AF:]params[xCOUNT]; "
                        + "params tpN dpN epN mbN (C, P, D) or aN eN mbN (AF). Examples: tp8, dp8ep8x4, "
                        + "P:dp32ep32mb2x3+D:dp144ep144mb2, P:tp8x2+AF:a8e16mb3x2."})
public final class PlanCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    PlanInputs inputs;

    @Option(names = "--chips", paramLabel = "N", description = "chips (dies) to deploy on; required unless --evaluate or --explain")
    Integer chips;

    @Option(names = "--top", defaultValue = "10", paramLabel = "K", description = "strategies to list (default: ${DEFAULT-VALUE})")
    int top;

    @Option(names = "--json", paramLabel = "OUT", description = "write the ranked strategies and the Pareto front as JSON")
    Path json;

    @Option(names = "--plot", paramLabel = "OUT.png", description = "draw tokens/s per chip against TPOT with the Pareto front")
    Path plot;

    @Option(names = "--explain", paramLabel = "STRATEGY",
            description = "print this strategy's decode and prefill step broken down by operator")
    String explain;

    @Option(names = "--evaluate", paramLabel = "STRATEGY", description = "evaluate this one deployment instead of searching")
    String evaluate;

    @Option(names = "--rate", paramLabel = "REQ/S",
            description = "with --evaluate: also simulate at this request rate and print its latencies")
    Double rate;

    @Option(names = "--batch", paramLabel = "B",
            description = "decode sequences per rank for --explain (default: the batch it runs at its goodput)")
    Long batch;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PlanContext ctx = inputs.context();
        Evaluator eval = new Evaluator(ctx);
        out.printf(Locale.ROOT, "model %s: %.1f B parameters (%.1f B active), weights %s/%s, KV %s bytes/element; "
                        + "hardware %s%n", ctx.shape().name(), ctx.shape().totalParams() / 1e9, ctx.shape().activeParams() / 1e9,
                ctx.precision().weights().id(), ctx.precision().experts().id(), fmt(ctx.precision().kvBytes()), ctx.hw().name());
        out.printf(Locale.ROOT, "workload: %s arrivals, %.0f prompt + %.0f output tokens; SLO: %.0f%% of requests within "
                        + "TTFT %.0f ms and TPOT %.0f ms%n", inputs.arrival, ctx.workload().meanInput(),
                ctx.workload().meanOutput(), ctx.slo().fraction() * 100, ctx.slo().ttftSeconds() * 1e3, ctx.slo().tpotSeconds() * 1e3);
        if (explain != null) {
            explain(out, eval, Strategy.parse(explain));
        } else if (evaluate != null) {
            Strategy s = Strategy.parse(evaluate);
            Evaluation e = eval.evaluate(s);
            RankedTable.print(out, List.of(e), ctx.slo().fraction());
            out.printf(Locale.ROOT, "goodput %.4f requests/s in all; %.1f%% of requests met the SLO at that rate%n",
                    e.goodput(), e.attainment() * 100);
            if (rate != null && e.misfit() == null) {
                SimResult r = eval.simulate(s, rate);
                double q = ctx.slo().fraction();
                out.printf(Locale.ROOT, "at %.4f requests/s: TTFT p%.0f %.1f ms (mean %.1f ms), TPOT p%.0f %.1f ms, %.1f%% meet "
                                + "the SLO; %.1f output tokens/s over %.2f s, mean batch %.1f rows, %d preemptions%n", rate,
                        q * 100, r.ttftPercentile(q) * 1e3, r.meanTtft() * 1e3, q * 100, r.tpotPercentile(q) * 1e3,
                        r.attainment(ctx.slo()) * 100, r.throughput(), r.duration(), r.meanBatchRows(), r.preemptions());
            }
        } else {
            if (chips == null) {
                throw new IllegalArgumentException("--chips is required for a search (or give --evaluate / --explain)");
            }
            search(out, eval);
        }
        out.flush();
        return 0;
    }

    private void search(PrintWriter out, Evaluator eval) throws Exception {
        SearchResult r;
        try (ProgressBar bar = new ProgressBarBuilder().setTaskName("plan").setInitialMax(1)
                .setStyle(ProgressBarStyle.ASCII).setUpdateIntervalMillis(250).continuousUpdate().build()) {
            r = new Search(eval, chips).run(top, (done, total, current) -> {
                bar.maxHint(total);
                bar.stepTo(done);
                bar.setExtraMessage(current);
            });
        }
        PlanContext ctx = eval.context();
        if (r.whyNone() != null) {
            out.printf("no strategy fits %d x %s (for example %s); add chips or use smaller weights (--weights)%n",
                    chips, ctx.hw().name(), r.whyNone());
        } else if (r.ranked().isEmpty()) {
            out.printf(Locale.ROOT, "no strategy meets TTFT %.0f ms and TPOT %.0f ms even unloaded on %d x %s; relax the "
                    + "targets or shorten the prompts%n", ctx.slo().ttftSeconds() * 1e3, ctx.slo().tpotSeconds() * 1e3, chips,
                    ctx.hw().name());
        }
        RankedTable.print(out, r.ranked(), ctx.slo().fraction());
        out.printf(Locale.ROOT, "searched %d strategies in %.1f s: %d do not fit, %d pruned by their roofline estimate, "
                + "%d simulator runs%n", r.candidates(), r.seconds(), r.infeasible(), r.pruned(), r.simulations());
        out.println("Pareto front (tokens/s per chip against TPOT):");
        for (Evaluation e : r.pareto()) {
            out.printf(Locale.ROOT, "  %-44s %10.1f tok/s/chip  TPOT %.1f ms%n", e.strategy(), e.tokensPerChip(), e.tpot() * 1e3);
        }
        if (json != null) {
            JsonReport.write(json, inputs.describe(JsonReport.inputs(), chips), r);
            out.println("wrote " + json);
        }
        if (plot != null) {
            ParetoChart.write(plot, ctx.shape().name() + " on " + chips + " x " + ctx.hw().name(), r.evaluated(), r.pareto());
            out.println("wrote " + plot);
        }
    }

    private void explain(PrintWriter out, Evaluator eval, Strategy s) {
        String misfit = eval.misfit(s);
        if (misfit != null) {
            throw new IllegalArgumentException("strategy " + s + " cannot run: " + misfit);
        }
        long b = batch != null ? batch : eval.batchAtGoodput(s);
        StepBreakdown[] steps = eval.explain(s, b);
        PlanContext ctx = eval.context();
        ExplainReport.print(out, "decode step of one rank of " + s.decode() + ", " + b + " sequences", steps[0]);
        double perChip = (double) s.decode().ranks() / s.decode().chips();
        out.printf(Locale.ROOT, "  = %.0f output tokens/s per chip at %.1f ms per token (MTP %.2f tokens per step)%n",
                b * ctx.mtp().tokensPerStep() / steps[0].seconds() * perChip,
                steps[0].seconds() / ctx.mtp().tokensPerStep() * 1e3, ctx.mtp().tokensPerStep());
        long kv = eval.kvCapacityTokens(s.decode());
        out.printf(Locale.ROOT, "  KV cache per decode rank: %d tokens = %d sequences of %d prompt + %d output tokens%n", kv,
                (long) (kv / (ctx.workload().meanInput() + ctx.workload().meanOutput())), (long) ctx.workload().meanInput(),
                (long) ctx.workload().meanOutput());
        long prompt = Math.min((long) Math.ceil(ctx.workload().meanInput()), ctx.maxBatchedTokens());
        ExplainReport.print(out, "prefill step of one rank of " + s.prefill() + ", one prompt of " + prompt + " tokens", steps[1]);
        out.printf(Locale.ROOT, "  = %.0f prompt tokens/s per chip%n",
                prompt / steps[1].seconds() * s.prefill().ranks() / s.prefill().chips());
    }

    private static String fmt(double v) {
        return v == Math.rint(v) ? Long.toString((long) v) : String.format(Locale.ROOT, "%.2f", v);
    }
}
