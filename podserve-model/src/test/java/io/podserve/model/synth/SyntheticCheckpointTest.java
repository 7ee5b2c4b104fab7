package io.podserve.model.synth;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.podserve.model.TestData;
import io.podserve.model.checkpoint.Checkpoint;
import io.podserve.model.checkpoint.TensorLayout;
import io.podserve.model.config.ModelConfig;
import io.podserve.model.config.ModelPresets;
import io.podserve.model.tokenizer.Tokenizer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.FieldSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

class SyntheticCheckpointTest {
    static final List<String> ARCHITECTURES = TestData.ARCHITECTURES;
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    /** A synthetic checkpoint of every architecture opens as a valid checkpoint, norms at one. */
    @ParameterizedTest
    @FieldSource("ARCHITECTURES")
    void synthesizedCheckpointOpensAndValidates(String arch) throws Exception {
        ObjectNode json = (ObjectNode) JSON.readTree(TestData.hfTiny(arch).resolve("config.json").toFile());
        Path out = tmp.resolve(arch);
        SyntheticCheckpoint.write(json, out, 7, bytes -> { });
        try (Checkpoint ckpt = Checkpoint.open(out)) {
            assertEquals(1.0f, ckpt.weights().tensor("model.norm.weight").getFloat(0));
            float w = ckpt.weights().tensor("model.embed_tokens.weight").getFloat(5);
            assertTrue(Math.abs(w) <= 0.0347f && w != 0, "uniform with std 0.02: " + w);
        }
        Tokenizer tok = Tokenizer.load(out.resolve("tokenizer.json"));
        assertEquals("hello, 世界", tok.decode(tok.encode("hello, 世界")));
    }

    @Test
    void sameSeedSameBytes() throws Exception {
        ObjectNode json = (ObjectNode) JSON.readTree(TestData.hfTiny("qwen3").resolve("config.json").toFile());
        SyntheticCheckpoint.write(json, tmp.resolve("a"), 3, bytes -> { });
        SyntheticCheckpoint.write(json, tmp.resolve("b"), 3, bytes -> { });
        SyntheticCheckpoint.write(json, tmp.resolve("c"), 4, bytes -> { });
        byte[] a = Files.readAllBytes(tmp.resolve("a/model.safetensors"));
        assertArrayEquals(a, Files.readAllBytes(tmp.resolve("b/model.safetensors")));
        assertFalse(java.util.Arrays.equals(a, Files.readAllBytes(tmp.resolve("c/model.safetensors"))));
    }

    /** The presets' layouts add up to the parameter counts their model cards publish. */
    @ParameterizedTest
    @CsvSource({
            "qwen3-30b-a3b, 30.5, 0.1",
            "qwen3-235b-a22b, 235.1, 0.3",
            "deepseek-v3, 671.0, 0.5",
            "kimi-k2, 1026.5, 3",
            "mixtral-8x7b, 46.7, 0.1",
            "gpt-oss-20b, 20.9, 0.1",
            "gpt-oss-120b, 116.8, 0.2"})
    void presetParameterCountsMatchModelCards(String name, double billions, double tolerance) {
        ModelConfig config = ModelPresets.config(name);
        long n = TensorLayout.of(config).values().stream()
                .mapToLong(shape -> java.util.Arrays.stream(shape).reduce(1, (x, y) -> x * y)).sum();
        assertEquals(billions, n / 1e9, tolerance, name + " has " + n + " parameters");
    }

    @Test
    void layersCanBeCut() {
        ObjectNode cut = ModelPresets.withLayers(ModelPresets.configJson("gpt-oss-20b"), 3);
        assertEquals(3, cut.get("num_hidden_layers").asInt());
        assertEquals(3, cut.get("layer_types").size());
        var e = assertThrows(IllegalArgumentException.class, () -> ModelPresets.withLayers(cut, 9));
        assertEquals("--layers must be between 1 and 3, got 9", e.getMessage());
    }
}
