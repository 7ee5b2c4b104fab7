package io.podserve.planner.cost;

import io.podserve.model.checkpoint.TensorLayout;
import io.podserve.model.config.ModelConfig;
import io.podserve.model.config.ModelPresets;
import io.podserve.planner.catalog.Hardware;
import io.podserve.planner.catalog.HardwareCatalog;
import io.podserve.planner.catalog.WeightFormat;
import org.junit.jupiter.api.Test;

import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Per-operator FLOPs and bytes against counts worked out by hand from the published configs:
 * Qwen3-30B-A3B (GQA: 48 layers, hidden 2048, 32 query and 4 KV heads of 128, 128 experts top-8
 * of width 768) and DeepSeek-V3 (MLA: 61 layers, hidden 7168, 128 heads, q rank 1536, kv rank 512,
 * nope 128 + rope 64, v 128; 3 dense layers of 18432, then 256 experts top-8 of 2048 and one
 * shared). Weights and activations bf16 (2 bytes), one chip, one rank.
 */
class OperatorCountsTest {
    private static final Hardware H100 = HardwareCatalog.builtin().get("h100-sxm");
    private static final Precision BF16 = new Precision(WeightFormat.BF16, WeightFormat.BF16, 2, 2);

    private static StepBreakdown step(String preset, StepBatch b) {
        ModelConfig c = ModelPresets.config(preset);
        return new RankCost(ModelShape.of(preset, c), BF16, H100, new Parallelism(1, 1, 1, 1)).breakdown(b);
    }

    private static OpCost op(StepBreakdown b, String name) {
        return b.ops().stream().filter(o -> o.name().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no operator " + name + " in " + b.ops()));
    }

    @Test
    void gqaDecodeCounts() {
        // 4 sequences each decoding one token over 100 cached positions
        StepBreakdown b = step("qwen3-30b-a3b", StepBatch.decode(4, 100));
        long qkv = 2048L * (32 * 128 + 2 * 4 * 128); // 10,485,760 weights per layer
        assertEquals(2.0 * 4 * qkv * 48, op(b, "qkv_proj").flops());
        assertEquals((qkv * 2 + 4 * 2048 * 2) * 48.0, op(b, "qkv_proj").bytes());
        // q·k and p·v over 400 (row, position) pairs, 32 heads of 128 + 128
        assertEquals(2.0 * 400 * 32 * 256 * 48, op(b, "attention").flops());
        // K and V of 4 heads x 128 in bf16 = 2048 bytes a position: 400 read + 4 written, per layer
        assertEquals(404.0 * 2048 * 48, op(b, "attention").bytes());
        long o = 4096L * 2048;
        assertEquals(2.0 * 4 * o * 48, op(b, "o_proj").flops());
        // 32 token-expert rows through gate, up and down of 2048 x 768
        long expert = 3L * 2048 * 768;
        assertEquals(2.0 * 32 * expert * 48, op(b, "experts").flops());
        double touched = 128 * (1 - Math.pow(1 - 8.0 / 128, 4));
        assertEquals((touched * expert * 2 + 2 * 32 * 2048 * 2) * 48, op(b, "experts").bytes(), 1);
        assertEquals(2.0 * 4 * 2048 * 128 * 48, op(b, "router").flops());
        assertEquals(2.0 * 4 * 151936 * 2048, op(b, "lm_head").flops());
        assertEquals(151936.0 * 2048 * 2, op(b, "lm_head").bytes());
    }

    @Test
    void mlaDecodeCountsUseTheAbsorbedForm() {
        StepBreakdown b = step("deepseek-v3", StepBatch.decode(4, 100));
        long q = 7168L * 1536 + 1536L * 128 * 192;   // q_a + q_b
        long kvA = 7168L * (512 + 64);                 // kv_a_proj_with_mqa
        assertEquals(2.0 * 4 * (q + kvA) * 61, op(b, "qkv_proj").flops());
        long kvB = 512L * 128 * (128 + 128);
        assertEquals(2.0 * 4 * kvB * 61, op(b, "kv_b_absorbed").flops());
        // absorbed attention: scores over the 576-wide latent + rope key, values in the 512 latent
        assertEquals(2.0 * 400 * 128 * (576 + 512) * 61, op(b, "attention").flops());
        // the cache holds 576 bf16 per position per layer, shared by every head
        assertEquals(404.0 * 576 * 2 * 61, op(b, "attention").bytes());
        assertEquals(2.0 * 4 * (128L * 128 * 7168) * 61, op(b, "o_proj").flops());
        assertEquals(2.0 * 4 * (3L * 7168 * 18432) * 3, op(b, "dense_ffn").flops());
        assertEquals(2.0 * 4 * (3L * 7168 * 2048) * 58, op(b, "shared_experts").flops());
        assertEquals(2.0 * 32 * (3L * 7168 * 2048) * 58, op(b, "experts").flops());
    }

    @Test
    void mlaPrefillExpandsTheLatent() {
        StepBreakdown b = step("deepseek-v3", StepBatch.prefill(1000));
        long kvB = 512L * 128 * (128 + 128);
        // kv_b_proj unpacks all 1000 positions, then attention runs per head over 192 + 128 dims
        assertEquals(2.0 * 1000 * kvB * 61, op(b, "kv_b_expand").flops());
        assertEquals(2.0 * (1000 * 1001 / 2.0) * 128 * (192 + 128) * 61, op(b, "attention").flops());
        assertTrue(b.ops().stream().noneMatch(o -> o.name().equals("kv_b_absorbed")));
    }

    @Test
    void shapeCountsEveryMatrixOfTheCheckpoint() {
        for (String preset : new String[] {"qwen3-30b-a3b", "deepseek-v3", "mixtral-8x7b"}) {
            ModelConfig c = ModelPresets.config(preset);
            long matrices = TensorLayout.of(c).entrySet().stream().filter(e -> e.getValue().length >= 2)
                    .mapToLong(e -> Arrays.stream(e.getValue()).reduce(1, (x, y) -> x * y)).sum();
            long lmHeadIfTied = c.tieWordEmbeddings() ? (long) c.vocabSize() * c.hiddenSize() : 0;
            assertEquals(matrices + lmHeadIfTied, ModelShape.of(preset, c).totalParams(), preset);
        }
    }

    @Test
    void tensorParallelismShardsWeightsAndKvHeads() {
        ModelConfig c = ModelPresets.config("qwen3-30b-a3b");
        ModelShape s = ModelShape.of("q", c);
        RankCost one = new RankCost(s, BF16, H100, new Parallelism(1, 1, 1, 1));
        RankCost four = new RankCost(s, BF16, H100, new Parallelism(4, 1, 4, 1));
        // 4 KV heads split over 4 chips: a quarter of the KV bytes per chip
        assertEquals(one.kvBytesPerToken() / 4, four.kvBytesPerToken());
        assertEquals(one.weightBytesPerChip() / 4, four.weightBytesPerChip(), one.weightBytesPerChip() * 1e-3);
        StepBreakdown b = four.breakdown(StepBatch.decode(4, 100));
        assertTrue(b.ops().stream().anyMatch(o -> o.name().equals("tp_allreduce")));
        assertTrue(b.ops().stream().anyMatch(o -> o.name().equals("ep_dispatch")));
    }
}
