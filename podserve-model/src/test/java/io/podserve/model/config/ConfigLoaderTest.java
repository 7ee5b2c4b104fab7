package io.podserve.model.config;

import io.podserve.model.TestData;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.podserve.model.config.AttentionConfig.LayerKind;
import io.podserve.model.config.MoeConfig.Scoring;
import io.podserve.model.config.RopeConfig.RopeType;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

class ConfigLoaderTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    static final List<String> ARCHITECTURES = TestData.ARCHITECTURES;

    @Test
    void qwen3MoeFields() {
        ModelConfig c = ConfigLoader.load(TestData.hfTiny("qwen3_moe"));
        assertEquals(ModelType.QWEN3_MOE, c.type());
        assertEquals("Qwen3MoeForCausalLM", c.architecture());
        assertEquals(List.of(1024, 128, 3, 256), List.of(c.vocabSize(), c.hiddenSize(), c.numLayers(), c.intermediateSize()));
        var a = c.attention();
        assertEquals(List.of(4, 2, 32), List.of(a.numHeads(), a.numKvHeads(), a.headDim()));
        assertTrue(a.qkNorm());
        assertFalse(a.sinks());
        assertEquals(0, a.slidingWindow());
        assertEquals(List.of(LayerKind.FULL, LayerKind.FULL, LayerKind.FULL), a.layerKinds());
        var m = c.moe();
        assertEquals(List.of(8, 2, 64), List.of(m.numExperts(), m.numExpertsPerToken(), m.expertIntermediate()));
        assertEquals(Scoring.SOFTMAX_THEN_TOPK, m.scoring());
        assertTrue(m.normTopkProb());
        assertEquals(List.of(true, true, true), m.moeLayers());
        assertEquals(RopeConfig.plain(1e6), c.rope());
        assertEquals(1e-6, c.rmsNormEps());
        assertNull(c.quantization());
    }

    @Test
    void deepseekV3Fields() {
        ModelConfig c = ConfigLoader.load(TestData.hfTiny("deepseek_v3"));
        assertEquals(ModelType.DEEPSEEK_V3, c.type());
        assertTrue(c.isMla());
        var mla = c.attention().mla();
        assertEquals(new AttentionConfig.MlaConfig(64, 32, 32, 16, 32), mla);
        assertEquals(48, c.attention().headDim());
        assertTrue(c.attention().ropeInterleaved());
        assertEquals(256, c.intermediateSize());
        var m = c.moe();
        assertEquals(Scoring.SIGMOID_WITH_BIAS, m.scoring());
        assertEquals(List.of(16, 4, 48, 1, 48), List.of(m.numExperts(), m.numExpertsPerToken(),
                m.expertIntermediate(), m.numSharedExperts(), m.sharedIntermediate()));
        assertEquals(List.of(4, 2), List.of(m.numGroups(), m.topkGroups()));
        assertEquals(2.5, m.routedScalingFactor());
        assertEquals(List.of(false, true, true), m.moeLayers(), "first_k_dense_replace = 1");
        assertEquals(0, c.bosTokenId());
        assertEquals(List.of(1), c.eosTokenIds());
        assertEquals(1, c.numNextnPredictLayers());
    }

    @Test
    void mixtralFields() {
        ModelConfig c = ConfigLoader.load(TestData.hfTiny("mixtral"));
        assertEquals(32, c.attention().headDim(), "head_dim null falls back to hidden / heads");
        assertEquals(0, c.intermediateSize());
        assertEquals(List.of(4, 2, 96), List.of(c.moe().numExperts(), c.moe().numExpertsPerToken(),
                c.moe().expertIntermediate()));
        assertTrue(c.moe().normTopkProb());
        assertEquals(0, c.attention().slidingWindow());
        assertEquals(RopeConfig.plain(1e6), c.rope());
    }

    @Test
    void qwen3DenseFields() {
        ModelConfig c = ConfigLoader.load(TestData.hfTiny("qwen3"));
        assertFalse(c.isMoe());
        assertFalse(c.isMoeLayer(0));
        assertEquals(256, c.intermediateSize());
        assertTrue(c.attention().qkNorm());
    }

    @Test
    void gptOssFields() {
        ModelConfig c = ConfigLoader.load(TestData.hfTiny("gpt_oss"));
        var a = c.attention();
        assertTrue(a.sinks());
        assertTrue(a.bias());
        assertEquals(8, a.slidingWindow());
        assertEquals(List.of(LayerKind.SLIDING, LayerKind.FULL), a.layerKinds());
        assertEquals(Scoring.TOPK_THEN_SOFTMAX, c.moe().scoring());
        assertTrue(c.moe().routerBias());
        assertEquals(7.0, c.swigluLimit());
        var r = c.rope();
        assertEquals(RopeType.YARN, r.type());
        assertEquals(150000.0, r.theta());
        assertEquals(32.0, r.factor());
        assertEquals(4096, r.originalMaxPositionEmbeddings());
        assertEquals(32.0, r.betaFast());
        assertEquals(1.0, r.betaSlow());
        assertFalse(r.truncate());
    }

    @ParameterizedTest
    @FieldSource("ARCHITECTURES")
    void legacyRopeFormLoadsEqual(String arch) throws Exception {
        Path dir = TestData.hfTiny(arch);
        ModelConfig current = ConfigLoader.load(dir);
        for (String typeKey : List.of("type", "rope_type")) {
            ObjectNode legacy = toLegacyRope((ObjectNode) JSON.readTree(dir.resolve("config.json").toFile()), typeKey);
            assertFalse(legacy.has("rope_parameters"));
            assertEquals(current, ConfigLoader.parse(dir.resolve("config.json"), legacy), arch + " with " + typeKey);
        }
    }

    @Test
    void hubSpellingsOfQwen3MoeLoadEqual() throws Exception {
        Path dir = TestData.hfTiny("qwen3_moe");
        ObjectNode hub = (ObjectNode) JSON.readTree(dir.resolve("config.json").toFile());
        hub.set("num_experts", hub.remove("num_local_experts"));
        hub.set("torch_dtype", hub.remove("dtype"));
        hub.remove("layer_types");
        assertEquals(ConfigLoader.load(dir), ConfigLoader.parse(dir.resolve("config.json"), toLegacyRope(hub, "type")));
    }

    @Test
    void deepseekHubYarnScalingIsRead() throws Exception {
        Path dir = TestData.hfTiny("deepseek_v3");
        ObjectNode hub = toLegacyRope((ObjectNode) JSON.readTree(dir.resolve("config.json").toFile()), "type");
        hub.set("rope_scaling", JSON.readTree("""
                {"beta_fast": 32, "beta_slow": 1, "factor": 40, "mscale": 1.0, "mscale_all_dim": 1.0,
                 "original_max_position_embeddings": 4096, "type": "yarn"}"""));
        RopeConfig r = ConfigLoader.parse(dir.resolve("config.json"), hub).rope();
        assertEquals(RopeType.YARN, r.type());
        assertEquals(40.0, r.factor());
        assertEquals(1.0, r.mscale());
        assertEquals(1.0, r.mscaleAllDim());
        assertEquals(4096, r.originalMaxPositionEmbeddings());
        assertTrue(r.truncate());
    }

    /** Rewrites transformers 5's {@code rope_parameters} into the hub's legacy top-level form. */
    static ObjectNode toLegacyRope(ObjectNode config, String typeKey) {
        ObjectNode params = (ObjectNode) config.remove("rope_parameters");
        config.set("rope_theta", params.remove("rope_theta"));
        String type = params.remove("rope_type").asText();
        if (type.equals("default") && params.isEmpty()) {
            config.putNull("rope_scaling");
        } else {
            params.put(typeKey, type);
            config.set("rope_scaling", params);
        }
        return config;
    }
}
