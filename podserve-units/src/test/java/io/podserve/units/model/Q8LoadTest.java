package io.podserve.units.model;

import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import io.podserve.kernels.WeightFormat;
import io.podserve.kernels.cpu.CpuBackend;
import io.podserve.model.checkpoint.Checkpoint;
import io.podserve.units.Fixtures;
import io.podserve.units.placement.LocalPlacement;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Q8 at load: finite logits close to the BF16 model's (a loose bound: 8-bit weights). */
class Q8LoadTest {
    private static final int[] PROMPT = {3, 141, 59, 265, 358, 979, 323, 846, 264, 338, 327, 950, 288};
    private static CpuBackend backend;

    @BeforeAll
    static void start() {
        backend = CpuBackend.vector(2);
    }

    @AfterAll
    static void stop() {
        backend.close();
    }

    @ParameterizedTest
    @ValueSource(strings = {"qwen3", "qwen3_moe", "gpt_oss", "deepseek_v3"})
    void q8LogitsAreFiniteAndCloseToBf16(String architecture) {
        Path dir = Fixtures.hfTiny(architecture);
        try (Checkpoint checkpoint = Checkpoint.open(dir)) {
            Logits bf16 = prefill(checkpoint, ModelOptions.DEFAULTS);
            Logits q8 = prefill(checkpoint, ModelOptions.DEFAULTS.withQ8(true));
            double maxDiff = 0;
            double maxLogit = 0;
            double sumDiff = 0;
            for (int i = 0; i < q8.values().length; i++) {
                assertTrue(Float.isFinite(q8.values()[i]), "logit " + i + " is " + q8.values()[i]);
                double d = Math.abs(q8.values()[i] - bf16.values()[i]);
                maxDiff = Math.max(maxDiff, d);
                sumDiff += d;
                maxLogit = Math.max(maxLogit, Math.abs(bf16.values()[i]));
            }
            double meanDiff = sumDiff / q8.values().length;
            System.out.printf("%s: q8 vs bf16 mean|Δ| %.3g, max|Δ| %.3g (max|logit| %.3g)%n", architecture, meanDiff,
                    maxDiff, maxLogit);
            // NOTE: the mean, not the max: a quantization-sized nudge can flip a token's expert choice
            // (GPT-OSS row 4 here), which moves that row's logits by O(1) legitimately.
            assertTrue(meanDiff < 0.04 * maxLogit, "q8 vs bf16 mean|Δ| " + meanDiff + ", max|logit| " + maxLogit);
        }
    }

    /**
     * q8 leaves the router (and embedding) as stored, so a q8 model's matrices come in two formats and the
     * CLI warms both up; a model as stored has one.
     */
    @ParameterizedTest
    @ValueSource(strings = {"qwen3_moe", "gpt_oss"})
    void q8ModelsReportTheStoredFormatBesideQ8(String architecture) {
        try (Checkpoint checkpoint = Checkpoint.open(Fixtures.hfTiny(architecture))) {
            Set<WeightFormat> stored;
            try (Model model = Model.load(checkpoint, backend, ModelOptions.DEFAULTS)) {
                stored = model.matrixFormats();
            }
            assertEquals(1, stored.size(), "as stored: " + stored);
            try (Model model = Model.load(checkpoint, backend, ModelOptions.DEFAULTS.withQ8(true))) {
                Set<WeightFormat> expected = new HashSet<>(stored);
                expected.add(WeightFormat.Q8);
                assertEquals(expected, model.matrixFormats());
            }
        }
    }

    private static Logits prefill(Checkpoint checkpoint, ModelOptions options) {
        try (Model model = Model.load(checkpoint, backend, options)) {
            return model.step(List.of(new Chunk(model.newSequence(), PROMPT, true)), new LocalPlacement());
        }
    }
}
