package io.podserve.model.checkpoint;

import io.podserve.model.TestData;
import io.podserve.model.config.ConfigLoader;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

class TensorLayoutTest {
    @Test
    void deepseekLayoutHasMlaDenseFirstLayerAndSharedExperts() {
        var shapes = TensorLayout.of(ConfigLoader.load(TestData.hfTiny("deepseek_v3")));
        assertArrayEquals(new long[] {192, 64}, shapes.get("model.layers.0.self_attn.q_b_proj.weight"));
        assertArrayEquals(new long[] {48, 128}, shapes.get("model.layers.0.self_attn.kv_a_proj_with_mqa.weight"));
        assertArrayEquals(new long[] {256, 32}, shapes.get("model.layers.0.self_attn.kv_b_proj.weight"));
        assertArrayEquals(new long[] {256, 128}, shapes.get("model.layers.0.mlp.gate_proj.weight"));
        assertFalse(shapes.containsKey("model.layers.0.mlp.gate.weight"));
        assertArrayEquals(new long[] {16}, shapes.get("model.layers.1.mlp.gate.e_score_correction_bias"));
        assertArrayEquals(new long[] {128, 48}, shapes.get("model.layers.2.mlp.experts.15.down_proj.weight"));
        assertArrayEquals(new long[] {48, 128}, shapes.get("model.layers.2.mlp.shared_experts.up_proj.weight"));
    }

    @Test
    void gptOssLayoutHasFusedExpertsSinksAndBiases() {
        var shapes = TensorLayout.of(ConfigLoader.load(TestData.hfTiny("gpt_oss")));
        assertArrayEquals(new long[] {8, 128, 128}, shapes.get("model.layers.1.mlp.experts.gate_up_proj"));
        assertArrayEquals(new long[] {8, 64, 128}, shapes.get("model.layers.1.mlp.experts.down_proj"));
        assertArrayEquals(new long[] {4}, shapes.get("model.layers.0.self_attn.sinks"));
        assertArrayEquals(new long[] {64}, shapes.get("model.layers.0.self_attn.k_proj.bias"));
    }
}
