package io.podserve.model.config;

import io.podserve.model.config.AttentionConfig.LayerKind;

import java.util.ArrayList;
import java.util.List;
import java.util.function.IntPredicate;

/** Fields every supported family spells the same way. */
final class CommonFields {
    private CommonFields() {
    }

    static int numLayers(ConfigFields f) {
        int n = f.requireInt("num_hidden_layers");
        if (n <= 0) {
            throw f.error("num_hidden_layers", "must be positive, found " + n);
        }
        return n;
    }

    static int numHeads(ConfigFields f) {
        return positive(f, "num_attention_heads");
    }

    static int headDim(ConfigFields f) {
        int hidden = f.requireInt("hidden_size");
        return f.intOr("head_dim", hidden / numHeads(f));
    }

    static int positive(ConfigFields f, String name) {
        int v = f.requireInt(name);
        if (v <= 0) {
            throw f.error(name, "must be positive, found " + v);
        }
        return v;
    }

    /**
     * Each layer's attention kind: from {@code layer_types} when the config lists them (transformers
     * 5 writes them), else from the family's rule for which layers slide.
     */
    static List<LayerKind> layerKinds(ConfigFields f, int numLayers, IntPredicate slidesByDefault) {
        List<String> names = f.stringList("layer_types");
        List<LayerKind> kinds = new ArrayList<>(numLayers);
        if (names.isEmpty()) {
            for (int i = 0; i < numLayers; i++) {
                kinds.add(slidesByDefault.test(i) ? LayerKind.SLIDING : LayerKind.FULL);
            }
            return kinds;
        }
        if (names.size() != numLayers) {
            throw f.error("layer_types", "has " + names.size() + " entries but num_hidden_layers is " + numLayers);
        }
        for (String name : names) {
            kinds.add(switch (name) {
                case "full_attention" -> LayerKind.FULL;
                case "sliding_attention" -> LayerKind.SLIDING;
                default -> throw f.error("layer_types", "holds unknown kind '" + name
                        + "'; expected full_attention or sliding_attention");
            });
        }
        return kinds;
    }

    /** The window of the sliding layers, 0 when no layer slides; a sliding layer without a window is an error. */
    static int slidingWindow(ConfigFields f, List<LayerKind> kinds) {
        if (!kinds.contains(LayerKind.SLIDING)) {
            return 0;
        }
        int window = f.intOr("sliding_window", 0);
        if (window <= 0) {
            throw f.error("sliding_window", "must be a positive number of tokens when layer_types has "
                    + "sliding_attention layers, found " + window);
        }
        return window;
    }

    static List<Boolean> allLayers(int numLayers, IntPredicate isMoe) {
        List<Boolean> out = new ArrayList<>(numLayers);
        for (int i = 0; i < numLayers; i++) {
            out.add(isMoe.test(i));
        }
        return out;
    }

    static QuantizationConfig quantization(ConfigFields f) {
        ConfigFields q = f.object("quantization_config");
        if (q == null) {
            return null;
        }
        String method = q.stringOr("quant_method", "");
        if (!method.equals("fp8")) {
            throw q.error("quant_method", "is '" + method + "'; podserve reads fp8 (block-scaled e4m3) "
                    + "checkpoints and plain bf16/f16/f32 ones; convert this checkpoint to bf16 first");
        }
        List<Integer> block = q.intList("weight_block_size");
        if (block.isEmpty()) {
            block = List.of(128, 128);
        }
        if (block.size() != 2) {
            throw q.error("weight_block_size", "must hold two integers, found " + block);
        }
        return new QuantizationConfig(method, block.get(0), block.get(1));
    }
}
