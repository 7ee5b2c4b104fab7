package io.podserve.model.config;

import com.fasterxml.jackson.databind.JsonNode;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;

/**
 * {@code generation_config.json}: the stop ids and default sampling a checkpoint ships with.
 *
 * @param eosTokenIds ids that end generation (from generation_config, else from config.json)
 * @param doSample    whether the defaults sample (false: greedy)
 * @param temperature default temperature, 1 when unset
 * @param topP        default nucleus mass, 1 when unset
 * @param topK        default top-k, 0 (off) when unset
 */
public record GenerationConfig(List<Integer> eosTokenIds, boolean doSample, double temperature, double topP, int topK) {

    public GenerationConfig {
        eosTokenIds = List.copyOf(eosTokenIds);
    }

    /** Reads {@code generation_config.json} beside the model, falling back to config.json's eos ids. */
    public static GenerationConfig load(Path modelDir, ModelConfig model) {
        Path file = modelDir.resolve("generation_config.json");
        if (!Files.exists(file)) {
            return new GenerationConfig(model.eosTokenIds(), false, 1.0, 1.0, 0);
        }
        JsonNode root = ConfigLoader.readJson(file);
        ConfigFields f = new ConfigFields(file, root, "");
        var eos = new LinkedHashSet<>(f.intList("eos_token_id"));
        if (eos.isEmpty()) {
            eos.addAll(model.eosTokenIds());
        }
        return new GenerationConfig(List.copyOf(eos), f.boolOr("do_sample", false), f.doubleOr("temperature", 1.0),
                f.doubleOr("top_p", 1.0), f.intOr("top_k", 0));
    }
}
