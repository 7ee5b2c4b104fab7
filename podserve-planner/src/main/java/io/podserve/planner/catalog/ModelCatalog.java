package io.podserve.planner.catalog;

import io.podserve.model.config.ConfigLoader;
import io.podserve.model.config.ModelConfig;
import io.podserve.model.config.ModelPresets;

import java.nio.file.Files;
import java.nio.file.Path;

/** Models by preset name or by a directory / {@code config.json} path, optionally cut to fewer layers. */
public final class ModelCatalog {
    private ModelCatalog() {
    }

    /**
     * A preset ({@link ModelPresets#NAMES}) or a path to a model directory or config.json;
     * {@code layers} > 0 keeps only the first that many layers (as {@code podserve synth --layers}).
     */
    public static ModelConfig resolve(String model, int layers) {
        if (ModelPresets.NAMES.contains(model)) {
            var json = ModelPresets.configJson(model);
            if (layers > 0) {
                json = ModelPresets.withLayers(json, layers);
            }
            return ConfigLoader.parse(Path.of("preset:" + model), json);
        }
        Path p = Path.of(model);
        if (!Files.exists(p)) {
            throw new IllegalArgumentException("model '" + model + "' is neither a preset (" + String.join(", ", ModelPresets.NAMES)
                    + ") nor an existing directory or config.json");
        }
        ModelConfig c = ConfigLoader.load(p);
        if (layers > 0 && layers != c.numLayers()) {
            throw new IllegalArgumentException("--layers applies to presets; " + model + " already has " + c.numLayers()
                    + " layers");
        }
        return c;
    }
}
