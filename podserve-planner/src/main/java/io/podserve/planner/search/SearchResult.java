package io.podserve.planner.search;

import java.util.List;

/**
 * A finished search.
 *
 * @param ranked      the best strategies by goodput per chip, fully evaluated
 * @param evaluated   every strategy fully evaluated (the ranked ones first)
 * @param pareto      the evaluated strategies no other beats on both tokens per chip and TPOT
 * @param candidates  strategies generated
 * @param infeasible  of them, those that do not fit (memory, divisibility)
 * @param pruned      of them, those whose roofline estimate could not reach the ranked ones
 * @param simulations simulator runs
 * @param seconds     wall time of the search
 * @param whyNone     when nothing fits: why the largest collocated instance does not, else null
 */
public record SearchResult(List<Evaluation> ranked, List<Evaluation> evaluated, List<Evaluation> pareto, int candidates, int infeasible,
                           int pruned, long simulations, double seconds, String whyNone) {
}
