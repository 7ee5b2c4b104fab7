package io.podserve.model.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;

/**
 * The {@code config.json} of well-known models, as published on the hub, so benchmarks, synthetic
 * checkpoints and the planner use real shapes without downloads.
 */
public final class ModelPresets {
    /** Preset names, as {@code podserve synth --like} and the planner take them. */
    public static final List<String> NAMES = List.of("qwen3-30b-a3b", "qwen3-235b-a22b", "deepseek-v3", "kimi-k2",
            "mixtral-8x7b", "gpt-oss-20b", "gpt-oss-120b");

    private static final ObjectMapper JSON = new ObjectMapper();

    private ModelPresets() {
    }

    /** The preset's config.json as published; a fresh copy each call. */
    public static ObjectNode configJson(String name) {
        if (!NAMES.contains(name)) {
            throw new IllegalArgumentException("unknown model preset '" + name + "'; presets: " + String.join(", ", NAMES));
        }
        try (InputStream in = ModelPresets.class.getResourceAsStream("/io/podserve/model/presets/" + name + ".json")) {
            return (ObjectNode) JSON.readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static ModelConfig config(String name) {
        return ConfigLoader.parse(Path.of("preset:" + name), configJson(name));
    }

    /**
     * The same model cut to its first {@code numLayers} layers: per-layer lists are truncated so the
     * config stays consistent.
     */
    public static ObjectNode withLayers(ObjectNode config, int numLayers) {
        int original = config.get("num_hidden_layers").asInt();
        if (numLayers <= 0 || numLayers > original) {
            throw new IllegalArgumentException("--layers must be between 1 and " + original + ", got " + numLayers);
        }
        ObjectNode out = config.deepCopy();
        out.put("num_hidden_layers", numLayers);
        JsonNode kinds = out.get("layer_types");
        if (kinds instanceof ArrayNode array) {
            while (array.size() > numLayers) {
                array.remove(array.size() - 1);
            }
        }
        if (out.has("max_window_layers")) {
            out.put("max_window_layers", Math.min(numLayers, out.get("max_window_layers").asInt()));
        }
        return out;
    }
}
