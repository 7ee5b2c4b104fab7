package io.podserve.model.weights;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The real tiny checkpoints and reference files in {@code testdata/hf-tiny}, written by transformers. */
class HfTinyCheckpointTest {
    private static final int VOCAB_SIZE = 1024;
    private static final long[] FIRST_PROMPT_IDS = {740, 988, 752, 154, 999, 428, 324, 339, 653, 369, 127, 541, 625};

    private static Path hfTiny(String architecture) {
        return Path.of(System.getProperty("podserve.testdata"), "hf-tiny", architecture);
    }

    @ParameterizedTest
    @ValueSource(strings = {"qwen3_moe", "deepseek_v3", "mixtral", "qwen3", "gpt_oss"})
    void modelSafetensorsLoadsWithConfigShapes(String architecture) throws IOException {
        Path dir = hfTiny(architecture);
        JsonNode config = new ObjectMapper().readTree(dir.resolve("config.json").toFile());
        long hiddenSize = config.get("hidden_size").asLong();
        try (WeightStore store = WeightStore.open(dir)) {
            assertEquals(VOCAB_SIZE, config.get("vocab_size").asLong());
            Tensor embedding = store.require("model.embed_tokens.weight", VOCAB_SIZE, hiddenSize);
            assertEquals(DType.BF16, embedding.dtype());
            assertEquals(hiddenSize, store.require("model.norm.weight", hiddenSize).numElements());
            for (String name : store.names()) {
                assertEquals(DType.BF16, store.info(name).dtype(), name);
            }
            assertEquals(Map.of(DType.BF16, store.totalBytes() / 2), store.numParametersByDType());
            assertEquals(Files.size(dir.resolve("model.safetensors")), headerEnd(store) + store.totalBytes());
        }
    }

    /** Where the data area starts: the lowest tensor offset, as HF packs tensors without gaps. */
    private static long headerEnd(WeightStore store) {
        return store.names().stream().mapToLong(n -> store.info(n).dataOffset()).min().orElseThrow();
    }

    @Test
    void bf16ValuesMatchWhatPythonReads() {
        // The first four values of qwen3's embedding, decoded with Python's struct module.
        try (WeightStore store = WeightStore.open(hfTiny("qwen3"))) {
            Tensor embedding = store.tensor("model.embed_tokens.weight");
            float[] expected = {-0.0133056640625f, -0.1044921875f, -0.04345703125f, 0.004180908203125f};
            for (int i = 0; i < expected.length; i++) {
                assertEquals(expected[i], embedding.getFloat(i));
            }
            assertEquals(Map.of("format", "pt"), metadataOf(hfTiny("qwen3").resolve("model.safetensors")));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"qwen3_moe", "deepseek_v3", "mixtral", "qwen3", "gpt_oss"})
    void expectedSafetensorsHoldsIdsAndLogits(String architecture) {
        try (WeightStore expected = WeightStore.open(hfTiny(architecture).resolve("expected.safetensors"))) {
            Tensor inputIds = expected.tensor("p0.input_ids");
            assertEquals(DType.I64, inputIds.dtype());
            assertEquals(13, inputIds.numElements());
            assertArrayEquals(FIRST_PROMPT_IDS, inputIds.toLongArray());
            Tensor logits = expected.require("p0.logits", 13, VOCAB_SIZE);
            assertEquals(DType.F32, logits.dtype());
            assertTrue(Float.isFinite(logits.getFloat(13 * VOCAB_SIZE - 1)));
            assertEquals(24, expected.require("p2.greedy", 24).numElements());
            assertEquals(Map.of(), metadataOf(hfTiny(architecture).resolve("expected.safetensors")));
        }
    }

    @Test
    void logitsAreReadAsWritten() {
        // p0.logits[0, 0..2] of qwen3, decoded with Python's struct module.
        try (SafetensorsFile expected = SafetensorsFile.open(hfTiny("qwen3").resolve("expected.safetensors"))) {
            Tensor logits = expected.tensor("p0.logits");
            assertEquals(-0.4275986850261688f, logits.getFloat(0));
            assertEquals(-1.1050891876220703f, logits.getFloat(1));
            assertEquals(-0.6343883872032166f, logits.getFloat(2));
        }
    }

    private static Map<String, String> metadataOf(Path file) {
        try (SafetensorsFile safetensors = SafetensorsFile.open(file)) {
            return safetensors.metadata();
        }
    }
}
