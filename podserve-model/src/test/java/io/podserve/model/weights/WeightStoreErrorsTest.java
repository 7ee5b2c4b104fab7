package io.podserve.model.weights;

import io.podserve.model.ModelFormatException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** What a user sees when a checkpoint folder is incomplete or a tensor name is wrong. */
class WeightStoreErrorsTest {
    @TempDir
    Path dir;

    private static Path qwen3() {
        return Path.of(System.getProperty("podserve.testdata"), "hf-tiny", "qwen3");
    }

    @Test
    void missingTensorSuggestsNearNames() {
        try (WeightStore store = WeightStore.open(qwen3())) {
            var e = assertThrows(ModelFormatException.class,
                    () -> store.tensor("model.layers.0.self_attn.q_proj.weights"));
            assertEquals(qwen3() + ": no tensor named model.layers.0.self_attn.q_proj.weights among its 25 tensors;"
                    + " closest names: model.layers.0.self_attn.q_proj.weight, model.layers.0.self_attn.k_proj.weight,"
                    + " model.layers.0.self_attn.o_proj.weight. The checkpoint may be of another architecture or"
                    + " revision than config.json says", e.getMessage());
        }
    }

    @Test
    void missingPrefixSuggestsTheFullName() {
        try (WeightStore store = WeightStore.open(qwen3())) {
            var e = assertThrows(ModelFormatException.class, () -> store.info("layers.1.mlp.up_proj.weight"));
            assertEquals(qwen3() + ": no tensor named layers.1.mlp.up_proj.weight among its 25 tensors; closest"
                    + " names: model.layers.1.mlp.up_proj.weight, model.layers.0.mlp.up_proj.weight."
                    + " The checkpoint may be of another architecture or"
                    + " revision than config.json says", e.getMessage());
        }
    }

    @Test
    void shardListedButAbsent() throws IOException {
        writeTwoShards();
        Files.delete(dir.resolve("model-00002-of-00002.safetensors"));
        var e = assertThrows(ModelFormatException.class, () -> WeightStore.open(dir));
        assertEquals(dir.resolve(ShardIndex.FILE_NAME) + ": lists shard model-00002-of-00002.safetensors"
                + " (holding b) but " + dir + " has no such file; the download is incomplete: fetch"
                + " model-00002-of-00002.safetensors", e.getMessage());
    }

    @Test
    void indexMappingATensorToTheWrongShard() throws IOException {
        writeTwoShards();
        Path index = dir.resolve(ShardIndex.FILE_NAME);
        new ShardIndex(index, Map.of("a", "model-00002-of-00002.safetensors"), -1).write();
        var e = assertThrows(ModelFormatException.class, () -> WeightStore.open(dir));
        assertEquals(index + ": maps tensor a to shard model-00002-of-00002.safetensors, which does not hold it"
                + " (its closest names: b); the index and the shards are from different revisions:"
                + " re-download them", e.getMessage());
    }

    @Test
    void indexWithoutWeightMap() throws IOException {
        Path index = Files.writeString(dir.resolve(ShardIndex.FILE_NAME), "{\"metadata\": {}}");
        var e = assertThrows(ModelFormatException.class, () -> WeightStore.open(dir));
        assertEquals(index + ": has no \"weight_map\" object of tensor name → shard file; it is not a safetensors"
                + " index or is damaged", e.getMessage());
    }

    @Test
    void folderWithoutWeights() throws IOException {
        Files.writeString(dir.resolve("config.json"), "{}");
        var e = assertThrows(ModelFormatException.class, () -> WeightStore.open(dir));
        assertEquals(dir + ": has no model.safetensors, no model.safetensors.index.json and no other .safetensors"
                + " file; is this the model's folder, and is the download complete?", e.getMessage());
        var missing = assertThrows(ModelFormatException.class, () -> WeightStore.open(dir.resolve("nowhere")));
        assertEquals(dir.resolve("nowhere") + ": not found; expected a model directory or a .safetensors file",
                missing.getMessage());
    }

    private void writeTwoShards() throws IOException {
        ShardedCheckpointWriter.write(dir, List.of(List.of(TestFiles.f32("a", new long[] {1}, 1)),
                List.of(TestFiles.f32("b", new long[] {1}, 2))), Map.of());
    }
}
