package io.podserve.planner.search;

import io.podserve.model.config.ModelConfig;
import io.podserve.planner.catalog.HardwareCatalog;
import io.podserve.planner.catalog.ModelCatalog;
import io.podserve.planner.cost.ModelShape;
import io.podserve.planner.cost.Precision;
import io.podserve.planner.sim.Mtp;
import io.podserve.planner.sim.Slo;
import io.podserve.planner.sim.Workload;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Timeout(120)
class SearchTest {
    private static PlanContext context(String model, String hw, int requests) {
        ModelConfig c = ModelCatalog.resolve(model, 0);
        var h = HardwareCatalog.builtin().get(hw);
        return new PlanContext(c, ModelShape.of(model, c), Precision.of(c, null, h.kvElementBytes()), h,
                Workload.poisson(1000, 200), new Slo(1.0, 0.05, 0.9), 128, 8192, 16, Mtp.NONE, requests, 1, 0);
    }

    @Test
    void smallSearchRanksByGoodputPerChip() {
        Evaluator eval = new Evaluator(context("qwen3-30b-a3b", "h100-sxm", 200));
        SearchResult r = new Search(eval, 2).run(5, (d, t, s) -> { });
        assertFalse(r.ranked().isEmpty());
        for (int i = 1; i < r.ranked().size(); i++) {
            assertTrue(r.ranked().get(i - 1).goodputPerChip() >= r.ranked().get(i).goodputPerChip());
        }
        Evaluation best = r.ranked().getFirst();
        assertTrue(best.goodput() > 0 && best.chips() <= 2);
        // at the goodput rate the joint simulation meets the SLO for most requests
        assertTrue(best.attainment() >= 0.85, "attainment " + best.attainment());
        assertFalse(r.pareto().isEmpty());
    }

    @Test
    void memoryRulesOutTooFewChips() {
        Evaluator eval = new Evaluator(context("deepseek-v3", "h100-sxm", 100));
        String misfit = eval.misfit(Strategy.parse("tp8"));
        assertNotNull(misfit);
        assertTrue(misfit.contains("fit"), misfit);
        Evaluation e = eval.evaluate(Strategy.parse("tp8"));
        assertEquals(0, e.goodput());
        // 16 H100s hold the FP8 weights with room for KV
        assertEquals(null, eval.misfit(Strategy.parse("tp8dp2ep16")));
    }

    @Test
    void paretoKeepsOnlyUnbeatenPoints() {
        Strategy s = Strategy.parse("tp1");
        Evaluation a = new Evaluation(s, 1, 1, 100, 0.1, 0.02, 1, "", null);
        Evaluation b = new Evaluation(s, 1, 1, 200, 0.1, 0.03, 1, "", null);
        Evaluation c = new Evaluation(s, 1, 1, 150, 0.1, 0.04, 1, "", null);
        assertEquals(List.of(a, b), Pareto.front(List.of(c, b, a)));
    }
}
