package io.podserve.planner.search;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.ToDoubleFunction;

/**
 * Every feasible strategy for a number of chips, ranked by goodput per chip.
 *
 * <p>Candidates are collocated instance shapes (as many instances as fit), and pairs of a prefill
 * shape with a decode (or MoE–attention disaggregated) shape whose instance counts are chosen to
 * balance the two sides' capacities. The search first drops what does not fit, then estimates every
 * candidate on the roofline alone (cheap), then simulates candidates in order of that estimate,
 * stopping when an estimate, even with slack for its error, can no longer reach the top
 * {@code top}. Simulation results are cached per instance shape, so each split of chips between
 * prefill and decode costs nothing more.
 */
public final class Search {
    /** How far a simulated goodput may exceed its roofline estimate, for pruning. */
    static final double ESTIMATE_SLACK = 1.5;
    /** Strategies fully evaluated for the Pareto front, at least. */
    static final int PARETO_POOL = 24;
    /** Strategies of each family (collocated, pd, pd+af) evaluated besides the best overall. */
    static final int PER_KIND = 4;

    /** Progress of a search: candidates considered out of all. */
    @FunctionalInterface
    public interface Listener {
        void progress(int done, int total, String current);
    }

    private final Evaluator eval;
    private final int chips;

    public Search(Evaluator eval, int chips) {
        if (chips < 1) {
            throw new IllegalArgumentException("--chips must be >= 1, got " + chips);
        }
        this.eval = eval;
        this.chips = chips;
    }

    /** A candidate before its counts are final: one side (collocated) or a prefill and a decode shape. */
    private record Candidate(Side first, Side second) {
    }

    public SearchResult run(int top, Listener listener) {
        long t0 = System.nanoTime();
        PlanContext ctx = eval.context();
        Enumerator en = new Enumerator(ctx.shape(), chips, ctx.hw().chipsPerNode());
        List<Candidate> all = new ArrayList<>();
        for (Side c : en.shapes(Side.Role.COLLOCATED, chips)) {
            all.add(new Candidate(c, null));
        }
        if (chips >= 2) {
            List<Side> decodes = new ArrayList<>(en.shapes(Side.Role.DECODE, chips - 1));
            decodes.addAll(en.afShapes(chips - 1));
            for (Side p : en.shapes(Side.Role.PREFILL, chips - 1)) {
                for (Side d : decodes) {
                    if (p.chips() + d.chips() <= chips) {
                        all.add(new Candidate(p, d));
                    }
                }
            }
        }
        List<Candidate> feasible = new ArrayList<>();
        for (Candidate c : all) {
            if (eval.model(c.first()).misfit() == null && (c.second() == null || eval.model(c.second()).misfit() == null)) {
                feasible.add(c);
            }
        }
        record Scored(Candidate c, Strategy s, double perChip) {
        }
        List<Scored> estimated = new ArrayList<>();
        for (Candidate c : feasible) {
            Strategy s = place(c, side -> eval.model(side).estimateRankRate());
            if (s != null) {
                estimated.add(new Scored(c, s, eval.estimate(s) / s.chips()));
            }
        }
        estimated.sort(Comparator.comparingDouble(Scored::perChip).reversed());
        List<Scored> simulated = new ArrayList<>();
        int pruned = 0;
        int keep = Math.max(top, PARETO_POOL);
        for (int i = 0; i < estimated.size(); i++) {
            Scored e = estimated.get(i);
            listener.progress(i, estimated.size(), e.s().toString());
            double bar = simulated.size() < keep ? 0
                    : simulated.stream().mapToDouble(Scored::perChip).sorted().toArray()[simulated.size() - keep];
            if (e.perChip() * ESTIMATE_SLACK < bar || e.perChip() == 0) {
                pruned += estimated.size() - i;
                break;
            }
            Strategy s = place(e.c(), side -> eval.goodputPerRank(side));
            if (s != null) {
                simulated.add(new Scored(e.c(), s, eval.goodput(s) / s.chips()));
            }
        }
        listener.progress(estimated.size(), estimated.size(), "evaluating the best");
        simulated.sort(Comparator.comparingDouble(Scored::perChip).reversed());
        // the best overall, plus the best few of each family so the chart shows the trade-offs between them
        List<Scored> pool = new ArrayList<>(simulated.subList(0, Math.min(keep, simulated.size())));
        for (String kind : List.of("collocated", "pd", "pd+af")) {
            simulated.stream().filter(x -> x.s().kind().equals(kind)).limit(PER_KIND).forEach(pool::add);
        }
        List<Evaluation> evaluated = new ArrayList<>();
        for (Scored s : pool) {
            if (s.perChip() > 0 && evaluated.stream().noneMatch(e -> e.strategy().equals(s.s()))) {
                evaluated.add(eval.evaluate(s.s()));
            }
        }
        evaluated.sort(Comparator.comparingDouble(Evaluation::goodputPerChip).reversed());
        List<Evaluation> ranked = evaluated.subList(0, Math.min(top, evaluated.size()));
        String whyNone = feasible.isEmpty() && !all.isEmpty() ? largestMisfit(all) : null;
        return new SearchResult(List.copyOf(ranked), List.copyOf(evaluated), Pareto.front(evaluated), all.size(),
                all.size() - feasible.size(), pruned, eval.simulations(), (System.nanoTime() - t0) / 1e9, whyNone);
    }

    private String largestMisfit(List<Candidate> all) {
        Side largest = all.stream().map(Candidate::first).filter(c -> c.role() == Side.Role.COLLOCATED)
                .max(Comparator.comparingInt(Side::chipsPerInstance)).orElse(all.getFirst().first());
        return largest + ": " + eval.model(largest).misfit();
    }

    /**
     * The candidate with instance counts: collocated fills the chips; a prefill/decode pair takes
     * the counts that maximize goodput per chip given each rank's rate, within the chips.
     */
    private Strategy place(Candidate c, ToDoubleFunction<Side> rankRate) {
        if (c.second() == null) {
            return new Strategy(List.of(c.first().withCount(chips / c.first().chipsPerInstance())));
        }
        Side p = c.first();
        Side d = c.second();
        double capP = rankRate.applyAsDouble(p) * p.ranks();
        double capD = rankRate.applyAsDouble(d) * d.ranks();
        if (capP <= 0 || capD <= 0) {
            return null;
        }
        int sp = p.chipsPerInstance();
        int sd = d.chipsPerInstance();
        int bestP = 0;
        int bestD = 0;
        double best = -1;
        for (int cp = 1; cp * sp + sd <= chips; cp++) {
            int maxD = (chips - cp * sp) / sd;
            int balanced = (int) Math.ceil(cp * capP / capD);
            for (int cd : new int[] {Math.min(maxD, balanced), Math.min(maxD, Math.max(1, balanced - 1)), maxD}) {
                double perChip = Math.min(cp * capP, cd * capD) / (cp * sp + cd * sd);
                if (perChip > best * (1 + 1e-9)) {
                    best = perChip;
                    bestP = cp;
                    bestD = cd;
                }
            }
        }
        return bestP == 0 ? null : new Strategy(List.of(p.withCount(bestP), d.withCount(bestD)));
    }
}
