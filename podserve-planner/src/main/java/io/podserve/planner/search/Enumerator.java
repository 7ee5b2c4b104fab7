package io.podserve.planner.search;

import io.podserve.planner.cost.ModelShape;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The instance shapes worth trying on {@code chips} chips: instance sizes that divide the chips
 * and are powers of two or whole nodes; tensor parallelism within a node; experts spread over the
 * whole instance or over its data-parallel ranks; one or two micro-batches. Shapes that break the
 * model's divisibility are dropped by the evaluator, not here.
 */
final class Enumerator {
    private final ModelShape shape;
    private final int chips;
    private final int chipsPerNode;

    Enumerator(ModelShape shape, int chips, int chipsPerNode) {
        this.shape = shape;
        this.chips = chips;
        this.chipsPerNode = chipsPerNode;
    }

    /** Instance sizes: divisors of {@code limit} that are powers of two or multiples of a node. */
    List<Integer> sizes(int limit) {
        List<Integer> out = new ArrayList<>();
        for (int s = 1; s <= limit; s++) {
            if (chips % s == 0 && (Integer.bitCount(s) == 1 || s % chipsPerNode == 0)) {
                out.add(s);
            }
        }
        return out;
    }

    /** Instance shapes of a role, {@code count} 1, of at most {@code maxChips} chips. */
    List<Side> shapes(Side.Role role, int maxChips) {
        Set<Side> out = new LinkedHashSet<>();
        for (int s : sizes(maxChips)) {
            for (int tp = 1; tp <= Math.min(s, chipsPerNode); tp *= 2) {
                if (s % tp != 0) {
                    continue;
                }
                int dp = s / tp;
                List<Integer> eps = shape.isMoe() ? List.of(s, dp) : List.of(1);
                for (int ep : eps) {
                    for (int mb = 1; mb <= (s > 1 ? 2 : 1); mb++) {
                        out.add(new Side(role, tp, dp, ep, 0, 0, mb, 1));
                    }
                }
            }
        }
        return new ArrayList<>(out);
    }

    /** MoE–attention disaggregated decode instances: a attention and e expert chips, 2 or 3 micro-batches. */
    List<Side> afShapes(int maxChips) {
        List<Side> out = new ArrayList<>();
        if (!shape.isMoe()) {
            return out;
        }
        for (int a = 1; a < maxChips; a *= 2) {
            for (int e = 1; a + e <= maxChips; e *= 2) {
                for (int mb = 2; mb <= 3; mb++) {
                    out.add(new Side(Side.Role.ATTENTION_FFN, 1, 1, 1, a, e, mb, 1));
                }
            }
        }
        return out;
    }
}
