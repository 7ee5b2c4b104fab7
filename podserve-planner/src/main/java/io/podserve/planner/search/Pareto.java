package io.podserve.planner.search;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** The throughput-per-chip against TPOT trade-off: strategies no other beats on both. */
public final class Pareto {
    private Pareto() {
    }

    /** Those with goodput whose tokens per chip no strategy of lower or equal TPOT exceeds; by TPOT. */
    public static List<Evaluation> front(List<Evaluation> evaluated) {
        List<Evaluation> pts = new ArrayList<>(evaluated.stream()
                .filter(e -> e.goodput() > 0 && !Double.isNaN(e.tpot())).toList());
        pts.sort(Comparator.comparingDouble(Evaluation::tpot).thenComparing(Comparator.comparingDouble(Evaluation::tokensPerChip).reversed()));
        List<Evaluation> front = new ArrayList<>();
        double bestTokens = -1;
        for (Evaluation e : pts) {
            if (e.tokensPerChip() > bestTokens) {
                front.add(e);
                bestTokens = e.tokensPerChip();
            }
        }
        return front;
    }
}
