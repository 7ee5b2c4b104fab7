package io.podserve.model.checkpoint;

import io.podserve.model.ModelFormatException;
import io.podserve.model.config.ConfigLoader;
import io.podserve.model.config.ModelConfig;
import io.podserve.model.weights.DType;
import io.podserve.model.weights.TensorInfo;
import io.podserve.model.weights.WeightStore;

import java.nio.file.Path;
import java.util.Map;

/**
 * A model directory opened and checked: its config, and weights holding every tensor the config
 * implies with the shape it implies ({@link TensorLayout}); FP8 weights must come with their
 * block scales. Owns the weight mappings until {@link #close()}.
 */
public final class Checkpoint implements AutoCloseable {
    private final Path directory;
    private final ModelConfig config;
    private final WeightStore weights;

    private Checkpoint(Path directory, ModelConfig config, WeightStore weights) {
        this.directory = directory;
        this.config = config;
        this.weights = weights;
    }

    /** Opens {@code directory} and validates it; throws {@link ModelFormatException} naming what is wrong. */
    public static Checkpoint open(Path directory) {
        ModelConfig config = ConfigLoader.load(directory);
        WeightStore weights = WeightStore.open(directory);
        try {
            validate(config, weights);
        } catch (RuntimeException e) {
            weights.close();
            throw e;
        }
        return new Checkpoint(directory, config, weights);
    }

    private static void validate(ModelConfig config, WeightStore weights) {
        for (Map.Entry<String, long[]> expected : TensorLayout.of(config).entrySet()) {
            weights.require(expected.getKey(), expected.getValue());
            TensorInfo info = weights.info(expected.getKey());
            if (info.dtype() == DType.F8_E4M3) {
                requireScales(config, weights, info);
            }
        }
    }

    private static void requireScales(ModelConfig config, WeightStore weights, TensorInfo info) {
        if (config.quantization() == null || !config.quantization().isFp8()) {
            throw new ModelFormatException(info.file(), "tensor " + info.name() + " is F8_E4M3 but config.json "
                    + "has no fp8 quantization_config; the checkpoint and its config do not belong together");
        }
        weights.blockScales(info.name(), config.quantization().blockRows(), config.quantization().blockCols());
    }

    public Path directory() {
        return directory;
    }

    public ModelConfig config() {
        return config;
    }

    public WeightStore weights() {
        return weights;
    }

    @Override
    public void close() {
        weights.close();
    }
}
