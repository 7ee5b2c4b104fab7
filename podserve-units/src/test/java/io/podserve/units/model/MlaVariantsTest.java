package io.podserve.units.model;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.podserve.kernels.cpu.CpuBackend;
import io.podserve.model.checkpoint.Checkpoint;
import io.podserve.model.config.ModelConfig;
import io.podserve.model.config.ModelPresets;
import io.podserve.model.synth.SyntheticCheckpoint;
import io.podserve.units.Fixtures;
import io.podserve.units.placement.LocalPlacement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The MLA configurations the reference fixtures do not cover: DeepSeek-V3's YaRN softmax scale, and
 * a model without a q bottleneck ({@code q_lora_rank} null: {@code q_proj} instead of
 * {@code q_a_proj → q_b_proj}).
 */
class MlaVariantsTest {
    private static final int[] TOKENS = {3, 141, 59, 265, 358, 979};

    @Test
    void softmaxScaleIsQkHeadDimRootTimesYarnMscaleSquared() {
        // deepseek-v3: qk_head_dim 192, YaRN factor 40, mscale_all_dim 1: 192^-0.5 · (0.1 · ln 40 + 1)²
        assertEquals(0.13523378f, UnitFactory.mlaSoftmaxScale(ModelPresets.config("deepseek-v3")), 1e-7f);
    }

    @Test
    void plainRopeScaleIsQkHeadDimRoot(@TempDir Path tmp) throws IOException {
        ModelConfig tiny = SyntheticCheckpoint.write(tinyConfig(), tmp, 1, bytes -> { });
        assertEquals((float) Math.pow(48, -0.5), UnitFactory.mlaSoftmaxScale(tiny), 0f);
    }

    @Test
    void directQueryProjectionPrefillEqualsDecode(@TempDir Path tmp) throws IOException {
        ObjectNode json = tinyConfig();
        json.putNull("q_lora_rank");
        SyntheticCheckpoint.write(json, tmp, 7, bytes -> { });
        try (CpuBackend backend = CpuBackend.vector(2);
                Checkpoint checkpoint = Checkpoint.open(tmp);
                Model model = Model.load(checkpoint, backend, ModelOptions.DEFAULTS.withBlockSize(4))) {
            assertEquals(0, model.config().attention().mla().qLoraRank());
            var placement = new LocalPlacement();
            Logits prefill = model.step(List.of(new Chunk(model.newSequence(), TOKENS, true)), placement);
            Sequence seq = model.newSequence();
            double maxDiff = 0;
            for (int t = 0; t < TOKENS.length; t++) {
                Logits step = model.step(List.of(new Chunk(seq, new int[] {TOKENS[t]}, false)), placement);
                for (int v = 0; v < step.vocab(); v++) {
                    assertTrue(Float.isFinite(step.get(0, v)), "token " + t + " logit " + v);
                    maxDiff = Math.max(maxDiff, Math.abs(step.get(0, v) - prefill.get(t, v)));
                }
            }
            assertTrue(maxDiff <= 1e-5, "q_proj model: prefill vs decode max|Δ| " + maxDiff);
        }
    }

    /** hf-tiny deepseek_v3's config.json. */
    private static ObjectNode tinyConfig() throws IOException {
        Path dir = Fixtures.hfTiny("deepseek_v3");
        return (ObjectNode) new ObjectMapper().readTree(Files.readString(dir.resolve("config.json")));
    }
}
