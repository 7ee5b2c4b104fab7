package io.podserve.cli;

import io.podserve.kernels.cpu.CpuBackend;
import io.podserve.units.check.CheckReport;
import io.podserve.units.check.ModelCheck;
import io.podserve.units.model.ModelOptions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.nio.file.Path;
import java.util.concurrent.Callable;

/** {@code podserve check-model}: podserve's logits against Hugging Face reference vectors. */
@Command(name = "check-model", mixinStandardHelpOptions = true,
        description = {"Compare podserve with reference vectors made by Hugging Face transformers "
                + "(an expected.safetensors in the fixtures' format; see testdata/README.md).",
                "Per prompt: max |Δlogit| over the prompt positions, over the teacher-forced decode steps "
                        + "(the reference's greedy tokens fed one step at a time through the KV cache), and greedy "
                        + "agreement. Exits 1 if a max |Δlogit| exceeds 2e-3 or greedy tokens differ before the first "
                        + "step whose reference margin is below 1e-2."})
final class CheckModelCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--model", required = true, paramLabel = "DIR", description = "model directory")
    Path model;

    @Option(names = "--expected", paramLabel = "FILE",
            description = "reference vectors (default: DIR/expected.safetensors)")
    Path expected;

    @Mixin
    QuantizationOption quantization;

    @Option(names = "--block-size", defaultValue = "16", paramLabel = "TOKENS",
            description = "KV cache page size in tokens (default: ${DEFAULT-VALUE})")
    int blockSize;

    @Override
    public Integer call() {
        Path file = expected != null ? expected : model.resolve("expected.safetensors");
        ModelOptions options = ModelOptions.DEFAULTS.withBlockSize(blockSize).withQ8(quantization.q8());
        CheckReport report;
        try (CpuBackend backend = CpuBackend.create()) {
            report = ModelCheck.run(model, file, backend, options);
        }
        var out = spec.commandLine().getOut();
        out.println(report.summary());
        out.flush();
        return report.passed() ? 0 : 1;
    }
}
