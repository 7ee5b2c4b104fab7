package io.podserve.model.checkpoint;

import io.podserve.model.ModelFormatException;
import io.podserve.model.TestData;
import io.podserve.model.config.ModelType;
import io.podserve.model.weights.DType;
import io.podserve.model.weights.SafetensorsWriter;
import io.podserve.model.weights.Tensor;
import io.podserve.model.weights.WeightStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;

import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

class CheckpointTest {
    static final List<String> ARCHITECTURES = TestData.ARCHITECTURES;

    @TempDir
    Path tmp;

    /** Opening validates every tensor the config implies against the file: names and shapes. */
    @ParameterizedTest
    @FieldSource("ARCHITECTURES")
    void everyFixtureHoldsExactlyTheTensorsItsConfigImplies(String arch) {
        try (Checkpoint ckpt = Checkpoint.open(TestData.hfTiny(arch))) {
            var layout = TensorLayout.of(ckpt.config());
            assertEquals(layout.keySet(), ckpt.weights().names(), "no tensor missing and none unexpected");
            layout.forEach((name, shape) -> assertArrayEquals(shape, ckpt.weights().info(name).shape(), name));
            var summary = ModelSummary.of(ckpt.config(), ckpt.weights());
            assertEquals(summary.numParameters(), summary.numParametersByDType().get(DType.BF16));
            if (ckpt.config().isMoe()) {
                assertTrue(summary.numActiveParameters() < summary.numParameters(), arch);
            } else {
                assertEquals(summary.numParameters(), summary.numActiveParameters(), arch);
            }
        }
    }

    @Test
    void fortuneMoeSummaryMatchesItsModelCard() {
        try (Checkpoint ckpt = Checkpoint.open(TestData.model("fortune-moe"))) {
            assertEquals(ModelType.DEEPSEEK_V3, ckpt.config().type());
            var s = ModelSummary.of(ckpt.config(), ckpt.weights());
            assertEquals(6.0e6, s.numParameters(), 0.05e6, "the model card says 6.0 M parameters");
            // MLA caches the 64-wide latent and the 16-wide rope key per layer: 4 layers x 80 x 4 bytes.
            assertEquals(4 * 80 * 4, s.kvBytesPerToken());
        }
    }

    @Test
    void activeParametersCountTopKOfTheRoutedExperts() {
        try (Checkpoint ckpt = Checkpoint.open(TestData.hfTiny("qwen3_moe"))) {
            var s = ModelSummary.of(ckpt.config(), ckpt.weights());
            long expert = 3L * 64 * 128;  // gate, up and down of one expert
            long routed = 3 * 8 * expert;  // 3 MoE layers of 8 experts
            long activeRouted = 3 * 2 * expert;  // top-2 of them per layer
            assertEquals(s.numParameters() - routed + activeRouted, s.numActiveParameters());
        }
    }

    @Test
    void shapeDisagreeingWithConfigNamesTensorAndShapes() throws Exception {
        Path dir = TestData.copyOf(TestData.hfTiny("qwen3"), tmp.resolve("qwen3"));
        rewrite(dir.resolve("config.json"), "\"intermediate_size\": 256", "\"intermediate_size\": 255");
        String m = assertThrows(ModelFormatException.class, () -> Checkpoint.open(dir)).getMessage();
        assertTrue(m.contains("model.layers.0.mlp.gate_proj.weight"), m);
        assertTrue(m.contains("[255, 128]"), m);
        assertTrue(m.contains("[256, 128]"), m);
    }

    @Test
    void missingLayerNamesTheTensorAndTheDirectory() throws Exception {
        Path dir = TestData.copyOf(TestData.hfTiny("qwen3"), tmp.resolve("qwen3"));
        rewrite(dir.resolve("config.json"), "\"num_hidden_layers\": 2", "\"num_hidden_layers\": 3");
        rewrite(dir.resolve("config.json"), "\"full_attention\",", "\"full_attention\", \"full_attention\",");
        String m = assertThrows(ModelFormatException.class, () -> Checkpoint.open(dir)).getMessage();
        assertTrue(m.contains("model.layers.2."), m);
        assertTrue(m.contains(dir.toString()), m);
    }

    @Test
    void fp8WeightWithoutItsScalesIsRejectedAtOpen() throws Exception {
        Path dir = fp8Copy(true);
        String m = assertThrows(ModelFormatException.class, () -> Checkpoint.open(dir)).getMessage();
        assertTrue(m.contains("tensor model.layers.0.self_attn.o_proj.weight is F8_E4M3 but "
                + "model.layers.0.self_attn.o_proj.weight_scale_inv is missing"), m);
        assertTrue(m.contains("re-download it"), m);
    }

    @Test
    void fp8WeightWithoutQuantizationConfigIsRejected() throws Exception {
        Path dir = fp8Copy(false);
        String m = assertThrows(ModelFormatException.class, () -> Checkpoint.open(dir)).getMessage();
        assertTrue(m.contains("is F8_E4M3 but config.json has no fp8 quantization_config"), m);
    }

    /** The deepseek_v3 fixture with one projection stored as F8_E4M3 and no block scales. */
    private Path fp8Copy(boolean declareFp8) throws Exception {
        Path dir = TestData.copyOf(TestData.hfTiny("deepseek_v3"), tmp.resolve("ds"));
        String fp8 = "model.layers.0.self_attn.o_proj.weight";
        try (WeightStore source = WeightStore.open(TestData.hfTiny("deepseek_v3"))) {
            List<Tensor> tensors = new ArrayList<>();
            for (String name : source.names()) {
                Tensor t = source.tensor(name);
                tensors.add(name.equals(fp8)
                        ? new Tensor(name, DType.F8_E4M3, t.shape(), MemorySegment.ofArray(new byte[(int) t.numElements()]))
                        : t);
            }
            Files.delete(dir.resolve("model.safetensors"));
            SafetensorsWriter.write(dir.resolve("model.safetensors"), tensors, Map.of("format", "pt"));
        }
        if (declareFp8) {
            rewrite(dir.resolve("config.json"), "\"use_cache\": true,", "\"use_cache\": true, \"quantization_config\": "
                    + "{\"quant_method\": \"fp8\", \"weight_block_size\": [128, 128]},");
        }
        return dir;
    }

    private static void rewrite(Path file, String from, String to) throws Exception {
        String s = Files.readString(file);
        assertTrue(s.contains(from), from);
        Files.writeString(file, s.replace(from, to));
    }
}
