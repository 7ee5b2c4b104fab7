package io.podserve.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.podserve.model.config.ConfigLoader;
import io.podserve.model.config.ModelConfig;
import io.podserve.model.config.ModelPresets;
import io.podserve.model.synth.SyntheticCheckpoint;
import me.tongfei.progressbar.ProgressBar;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/** {@code podserve synth}: a random-weight checkpoint with a published model's real shapes. */
@Command(name = "synth", mixinStandardHelpOptions = true,
        description = {"Write a random-weight checkpoint (model.safetensors in bf16, config.json, a byte-level "
                + "tokenizer) with the real layer shapes of a published model, so benchmarks run on real-size "
                + "layers without downloads.",
                "Models: qwen3-30b-a3b, qwen3-235b-a22b, deepseek-v3, kimi-k2, mixtral-8x7b, gpt-oss-20b, gpt-oss-120b."})
final class SynthCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--like", required = true, paramLabel = "NAME", description = "the model whose shapes to copy")
    String like;

    @Option(names = "--layers", paramLabel = "N", description = "keep only the first N decoder layers (default: all)")
    Integer layers;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "directory to write (created if needed)")
    Path out;

    @Option(names = "--seed", defaultValue = "0", paramLabel = "S", description = "random seed (default: ${DEFAULT-VALUE})")
    long seed;

    @Override
    public Integer call() throws IOException {
        ObjectNode json = ModelPresets.configJson(like);
        if (layers != null) {
            json = ModelPresets.withLayers(json, layers);
        }
        ModelConfig config = ConfigLoader.parse(out.resolve("config.json"), json);
        long total = SyntheticCheckpoint.weightBytes(config);
        try (ProgressBar bar = Progress.bytes("synth " + like, total)) {
            SyntheticCheckpoint.write(json, out, seed, bar::stepTo);
        }
        spec.commandLine().getOut().printf("wrote %s: %s-shaped, %d layers, %s of bf16 weights%n",
                out, like, config.numLayers(), Units.bytes(total));
        spec.commandLine().getOut().flush();
        return 0;
    }
}
