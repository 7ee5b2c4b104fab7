package io.podserve.cli.engine;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.OptionalLong;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

import io.podserve.cli.QuantizationOption;
import io.podserve.engine.LlmEngine;
import io.podserve.engine.api.GenerationEvent;
import io.podserve.engine.api.GenerationHandle;
import io.podserve.engine.api.GenerationRequest;
import io.podserve.engine.api.SamplingOptions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code podserve bench-engine}: the serving engine alone, no HTTP — every request submitted at
 * once, exact input and output lengths. Its throughput is the baseline that {@code podserve bench}
 * through {@code podserve serve} is compared with to measure the server's overhead.
 */
@Command(name = "bench-engine", mixinStandardHelpOptions = true,
        description = "Measure the serving engine's throughput without the HTTP server: N requests of random "
                + "prompt tokens submitted at once, each generating exactly --output-len tokens (eos ignored).")
public final class BenchEngineCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--model", required = true, paramLabel = "DIR", description = "model directory")
    Path model;

    @Option(names = "--num-prompts", defaultValue = "32", paramLabel = "N", description = "requests (default: ${DEFAULT-VALUE})")
    int numPrompts;

    @Option(names = "--input-len", defaultValue = "128", paramLabel = "TOKENS",
            description = "prompt tokens per request (default: ${DEFAULT-VALUE})")
    int inputLen;

    @Option(names = "--output-len", defaultValue = "64", paramLabel = "TOKENS",
            description = "generated tokens per request (default: ${DEFAULT-VALUE})")
    int outputLen;

    @Option(names = "--seed", defaultValue = "0", paramLabel = "S", description = "seed of the random prompts")
    long seed;

    @Mixin
    EngineOptions engineOptions;

    @Mixin
    QuantizationOption quantization;

    @Override
    public Integer call() throws InterruptedException {
        if (numPrompts < 1 || inputLen < 1 || outputLen < 1) {
            throw new IllegalArgumentException("--num-prompts, --input-len and --output-len must be >= 1");
        }
        PrintWriter out = spec.commandLine().getOut();
        try (ServingModel sm = ServingModel.open(model, engineOptions, quantization.q8(), spec.commandLine().getErr());
             LlmEngine engine = sm.startEngine(engineOptions.engineConfig())) {
            SplittableRandom random = new SplittableRandom(seed);
            int vocab = sm.model.config().vocabSize();
            SamplingOptions o = new SamplingOptions(0, 1, 0, 0, OptionalLong.empty(), outputLen, List.of(), Set.of(),
                    true, -1, true);
            long start = System.nanoTime();
            List<GenerationHandle> handles = new ArrayList<>();
            for (int i = 0; i < numPrompts; i++) {
                int[] prompt = random.ints(inputLen, 0, vocab).toArray();
                handles.add(engine.submit(new GenerationRequest("bench-" + i, prompt, o)));
            }
            // One reader per request, so each first token is timed when it arrives.
            List<java.util.concurrent.Future<RequestTimes>> times = new ArrayList<>();
            try (var readers = java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor()) {
                for (GenerationHandle h : handles) {
                    times.add(readers.submit(() -> drain(h, start)));
                }
            }
            double ttftSum = 0;
            long outputTokens = 0;
            for (var f : times) {
                RequestTimes t = join(f);
                ttftSum += t.ttftSeconds;
                outputTokens += t.outputTokens;
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            var stats = engine.stats();
            out.printf(Locale.ROOT, "requests            %d (input %d, output %d tokens each)%n", numPrompts, inputLen,
                    outputLen);
            out.printf(Locale.ROOT, "duration            %.2f s%n", seconds);
            out.printf(Locale.ROOT, "request throughput  %.3f req/s%n", numPrompts / seconds);
            out.printf(Locale.ROOT, "output throughput   %.2f tokens/s%n", outputTokens / seconds);
            out.printf(Locale.ROOT, "total throughput    %.2f tokens/s%n", (outputTokens + (long) numPrompts * inputLen)
                    / seconds);
            out.printf(Locale.ROOT, "mean TTFT           %.1f ms%n", 1000 * ttftSum / numPrompts);
            out.printf(Locale.ROOT, "engine steps        %d, preemptions %d%n", stats.numSteps(), stats.numPreemptions());
            out.flush();
        }
        return 0;
    }

    private record RequestTimes(double ttftSeconds, int outputTokens) {
    }

    private static RequestTimes join(java.util.concurrent.Future<RequestTimes> f) throws InterruptedException {
        try {
            return f.get();
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IllegalStateException(e.getCause().getMessage(), e.getCause());
        }
    }

    private static RequestTimes drain(GenerationHandle h, long start) throws InterruptedException {
        double ttft = -1;
        while (true) {
            GenerationEvent e = h.poll(10, TimeUnit.MINUTES);
            switch (e) {
                case null -> throw new IllegalStateException("request " + h.id() + " made no progress for 10 minutes");
                case GenerationEvent.Delta d -> {
                    if (ttft < 0 && !d.tokens().isEmpty()) {
                        ttft = (System.nanoTime() - start) / 1e9;
                    }
                }
                case GenerationEvent.Finished f -> {
                    return new RequestTimes(ttft, f.completionTokens());
                }
                case GenerationEvent.Failed f -> throw new IllegalStateException("request " + h.id() + " failed: "
                        + f.message());
            }
        }
    }
}
