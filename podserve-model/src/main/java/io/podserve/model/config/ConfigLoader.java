package io.podserve.model.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.podserve.model.ModelFormatException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/** Reads {@code config.json} into a {@link ModelConfig}. */
public final class ConfigLoader {
    private static final ObjectMapper JSON = new ObjectMapper();

    private ConfigLoader() {
    }

    /** Loads {@code config.json} from a model directory, or the file itself when given one. */
    public static ModelConfig load(Path dirOrFile) {
        Path file = Files.isDirectory(dirOrFile) ? dirOrFile.resolve("config.json") : dirOrFile;
        return parse(file, readJson(file));
    }

    /** Parses an already-read config; {@code file} names it in errors. */
    public static ModelConfig parse(Path file, JsonNode root) {
        if (!root.isObject()) {
            throw new ModelFormatException(file, "expected a JSON object at the top level");
        }
        ConfigFields f = new ConfigFields(file, root, "");
        String typeName = f.stringOr("model_type", null);
        if (typeName == null) {
            throw new ModelFormatException(file, "field 'model_type' is missing; podserve supports "
                    + ModelType.supportedNames());
        }
        ModelType type;
        try {
            type = ModelType.fromConfigName(typeName);
        } catch (IllegalArgumentException e) {
            throw new ModelFormatException(file, e.getMessage());
        }
        ArchitectureReader reader = ArchitectureReader.of(type);
        int numLayers = CommonFields.numLayers(f);
        ArchitectureReader.Parts parts = reader.read(f, numLayers);
        var architectures = f.stringList("architectures");
        return new ModelConfig(
                type,
                architectures.isEmpty() ? "" : architectures.getFirst(),
                CommonFields.positive(f, "vocab_size"),
                CommonFields.positive(f, "hidden_size"),
                numLayers,
                parts.intermediateSize(),
                f.stringOr("hidden_act", "silu"),
                parts.swigluLimit(),
                f.doubleOr("rms_norm_eps", 1e-6),
                f.intOr("max_position_embeddings", 4096),
                f.boolOr("tie_word_embeddings", false),
                f.stringOr("dtype", f.stringOr("torch_dtype", "bfloat16")),
                parts.attention(),
                RopeParser.parse(f, reader.defaultRopeTheta()),
                parts.moe(),
                CommonFields.quantization(f),
                f.intOr("bos_token_id", -1),
                f.intList("eos_token_id"),
                f.intOr("num_nextn_predict_layers", 0));
    }

    static JsonNode readJson(Path file) {
        try {
            return JSON.readTree(Files.readString(file));
        } catch (NoSuchFileException e) {
            throw new ModelFormatException(file, "not found; a model directory needs the config.json "
                    + "that came with the checkpoint");
        } catch (JsonProcessingException e) {
            throw new ModelFormatException(file, "is not valid JSON (line " + e.getLocation().getLineNr()
                    + ", column " + e.getLocation().getColumnNr() + "): " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new ModelFormatException(file, "cannot be read: " + e.getMessage(), e);
        }
    }
}
