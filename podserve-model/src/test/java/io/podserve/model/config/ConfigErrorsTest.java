package io.podserve.model.config;

import io.podserve.model.TestData;
import io.podserve.model.ModelFormatException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.*;

class ConfigErrorsTest {
    @TempDir
    Path dir;

    private String failure(String json) throws Exception {
        Files.writeString(dir.resolve("config.json"), json);
        return assertThrows(ModelFormatException.class, () -> ConfigLoader.load(dir)).getMessage();
    }

    private String fixtureWith(String arch, String from, String to) throws Exception {
        String json = Files.readString(TestData.hfTiny(arch).resolve("config.json"));
        assertTrue(json.contains(from), from);
        return failure(json.replace(from, to));
    }

    @Test
    void unknownModelTypeListsSupported() throws Exception {
        String m = fixtureWith("qwen3", "\"model_type\": \"qwen3\"", "\"model_type\": \"bert\"");
        assertTrue(m.contains("config.json"), m);
        assertTrue(m.contains("unknown model_type 'bert'"), m);
        assertTrue(m.contains("qwen3, qwen3_moe, deepseek_v3, mixtral, gpt_oss"), m);
    }

    @Test
    void missingModelType() throws Exception {
        String m = failure("{\"hidden_size\": 8}");
        assertTrue(m.contains("field 'model_type' is missing"), m);
    }

    @Test
    void badJsonNamesLine() throws Exception {
        String m = failure("{\n  \"model_type\": \"qwen3\",\n  \"hidden_size\": ,\n}");
        assertTrue(m.contains("is not valid JSON (line 3"), m);
    }

    @Test
    void missingFileSaysWhatIsNeeded() {
        String m = assertThrows(ModelFormatException.class, () -> ConfigLoader.load(dir)).getMessage();
        assertTrue(m.contains("config.json: not found"), m);
    }

    @Test
    void missingRequiredFieldIsNamed() throws Exception {
        String m = fixtureWith("mixtral", "\"num_local_experts\": 4,", "");
        assertTrue(m.contains("field 'num_local_experts' is missing"), m);
    }

    @Test
    void wrongTypeIsNamed() throws Exception {
        String m = fixtureWith("qwen3", "\"hidden_size\": 128", "\"hidden_size\": \"wide\"");
        assertTrue(m.contains("field 'hidden_size' must be an integer, found \"wide\""), m);
    }

    @Test
    void layerTypesMustCoverEveryLayer() throws Exception {
        String m = fixtureWith("gpt_oss", "\"sliding_attention\",", "");
        assertTrue(m.contains("field 'layer_types' has 1 entries but num_hidden_layers is 2"), m);
    }

    @Test
    void unknownRopeTypeIsNamed() throws Exception {
        String m = fixtureWith("gpt_oss", "\"rope_type\": \"yarn\"", "\"rope_type\": \"longrope2\"");
        assertTrue(m.contains("field 'rope_parameters.rope_type' unsupported rope type 'longrope2'"), m);
    }

    @Test
    void unsupportedQuantizationSaysWhatToDo() throws Exception {
        String m = fixtureWith("gpt_oss", "\"use_cache\": true,",
                "\"use_cache\": true, \"quantization_config\": {\"quant_method\": \"mxfp4\"},");
        assertTrue(m.contains("quantization_config.quant_method' is 'mxfp4'"), m);
        assertTrue(m.contains("convert this checkpoint to bf16"), m);
    }

    @Test
    void fp8QuantizationIsRead() throws Exception {
        String json = Files.readString(TestData.hfTiny("deepseek_v3").resolve("config.json")).replace(
                "\"use_cache\": true,", "\"use_cache\": true, \"quantization_config\": {\"quant_method\": \"fp8\","
                        + " \"fmt\": \"e4m3\", \"weight_block_size\": [128, 128], \"activation_scheme\": \"dynamic\"},");
        Files.writeString(dir.resolve("config.json"), json);
        var q = ConfigLoader.load(dir).quantization();
        assertTrue(q.isFp8());
        assertEquals(128, q.blockRows());
        assertEquals(128, q.blockCols());
    }
}
