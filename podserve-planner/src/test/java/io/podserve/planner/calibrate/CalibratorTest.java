package io.podserve.planner.calibrate;

import io.podserve.model.config.ModelConfig;
import io.podserve.model.config.ModelPresets;
import io.podserve.planner.catalog.EfficiencyCurve;
import io.podserve.planner.catalog.Hardware;
import io.podserve.planner.catalog.HardwareCatalog;
import io.podserve.planner.catalog.HardwareWriter;
import io.podserve.planner.catalog.WeightFormat;
import io.podserve.planner.cost.ModelShape;
import io.podserve.planner.cost.Parallelism;
import io.podserve.planner.cost.Precision;
import io.podserve.planner.cost.RankCost;
import io.podserve.planner.cost.StepBatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Timeout(60)
class CalibratorTest {
    @Test
    void recoversStepTimesOfAKnownProfileAndWritesItReadably(@TempDir Path dir) throws Exception {
        ModelConfig c = io.podserve.model.config.ConfigLoader.parse(Path.of("preset"),
                ModelPresets.withLayers(ModelPresets.configJson("qwen3-30b-a3b"), 8));
        ModelShape shape = ModelShape.of("q8", c);
        Precision p = new Precision(WeightFormat.Q8, WeightFormat.Q8, 4, 2);
        Hardware base = HardwareCatalog.builtin().get("h100-sxm");
        // "the truth": a chip with host cost and efficiencies the fit must rediscover from step times
        Hardware truth = base.withCalibration(20e-6, 0, 3e-4, new EfficiencyCurve(List.of(new double[] {1, 0.2},
                new double[] {64, 0.5}, new double[] {1024, 0.7})), EfficiencyCurve.flat(0.55), EfficiencyCurve.flat(0.25));
        RankCost cost = new RankCost(shape, p, truth, new Parallelism(1, 1, 1, 1));
        List<Measurement> ms = new ArrayList<>();
        for (int b : new int[] {1, 2, 4, 8, 16, 64}) {
            ms.add(new Measurement("d" + b, StepBatch.decode(b, 100), cost.seconds(StepBatch.decode(b, 100))));
        }
        for (int n : new int[] {16, 64, 256, 1024}) {
            ms.add(new Measurement("p" + n, StepBatch.prefill(n), cost.seconds(StepBatch.prefill(n))));
        }
        Calibrator.Fit fit = new Calibrator(shape, p, base).fit(ms);
        assertTrue(fit.rmsLogError() < 0.05, "rms log error " + fit.rmsLogError());
        Path f = dir.resolve("fit.yaml");
        HardwareWriter.write(f, fit.hardware(), "test");
        Hardware back = HardwareCatalog.load(List.of(f)).get(base.name());
        assertEquals(fit.hardware().dispatchEager(), back.dispatchEager(), 1e-15);
        assertEquals(fit.hardware().gemmEfficiency().at(64), back.gemmEfficiency().at(64), 1e-12);
    }
}
