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

import io.podserve.bench.workload.BenchRequest;
import io.podserve.bench.workload.DatasetSpec;
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

    @Option(names = "--words", paramLabel = "N",
            description = "instead of random token ids: the prompts `podserve bench --input-len N --seed S` sends "
                    + "(its synthetic words), tokenized as the server tokenizes a completion prompt, so both runs "
                    + "compute the same tokens")
    Integer words;

    @Option(names = "--seed", defaultValue = "0", paramLabel = "S", description = "seed of the random prompts")
    long seed;

    @Option(names = "--warmup-rounds", defaultValue = "1", paramLabel = "N",
            description = "unmeasured runs of the same workload first, so the JIT has compiled the kernels "
                    + "(default: ${DEFAULT-VALUE})")
    int warmupRounds;

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
            for (int round = 0; round < warmupRounds; round++) {
                spec.commandLine().getErr().printf("warm-up round %d of %d...%n", round + 1, warmupRounds);
                spec.commandLine().getErr().flush();
                runRound(engine, prompts(sm, seed + 1 + round));
            }
            List<int[]> prompts = prompts(sm, seed);
            long start = System.nanoTime();
            RoundResult result = runRound(engine, prompts);
            double ttftSum = result.ttftSum;
            long outputTokens = result.outputTokens;
            double seconds = (System.nanoTime() - start) / 1e9;
            var stats = engine.stats();
            long inputTokens = prompts.stream().mapToLong(p -> p.length).sum();
            out.printf(Locale.ROOT, "requests            %d (input %.1f tokens on average, output %d tokens each)%n",
                    numPrompts, (double) inputTokens / numPrompts, outputLen);
            out.printf(Locale.ROOT, "duration            %.2f s%n", seconds);
            out.printf(Locale.ROOT, "request throughput  %.3f req/s%n", numPrompts / seconds);
            out.printf(Locale.ROOT, "output throughput   %.2f tokens/s%n", outputTokens / seconds);
            out.printf(Locale.ROOT, "total throughput    %.2f tokens/s%n", (outputTokens + inputTokens)
                    / seconds);
            out.printf(Locale.ROOT, "mean TTFT           %.1f ms%n", 1000 * ttftSum / numPrompts);
            if (result.tpotCount > 0) {   // as podserve bench: (last token - first token) / (tokens - 1)
                out.printf(Locale.ROOT, "mean TPOT           %.1f ms%n", 1000 * result.tpotSum / result.tpotCount);
            }
            out.printf(Locale.ROOT, "engine steps        %d, preemptions %d (warm-up rounds included)%n", stats.numSteps(),
                    stats.numPreemptions());
            out.flush();
        }
        return 0;
    }

    private record RoundResult(double ttftSum, double tpotSum, int tpotCount, long outputTokens) {
    }

    /** Random token ids of --input-len, or the bench's synthetic prompts tokenized (--words). */
    private List<int[]> prompts(ServingModel sm, long roundSeed) {
        List<int[]> prompts = new ArrayList<>();
        if (words != null) {
            for (BenchRequest r : DatasetSpec.synthetic(words, outputLen).requests(numPrompts, roundSeed)) {
                prompts.add(sm.tokenizer.encode(r.prompt(), true));
            }
            return prompts;
        }
        SplittableRandom random = new SplittableRandom(roundSeed);
        for (int i = 0; i < numPrompts; i++) {
            prompts.add(random.ints(inputLen, 0, sm.model.config().vocabSize()).toArray());
        }
        return prompts;
    }

    /** Submits every request at once and waits for all; TTFT is measured from the round's start. */
    private RoundResult runRound(LlmEngine engine, List<int[]> prompts) throws InterruptedException {
        SamplingOptions o = new SamplingOptions(0, 1, 0, 0, OptionalLong.empty(), outputLen, List.of(), Set.of(),
                true, -1, true);
        long start = System.nanoTime();
        List<GenerationHandle> handles = new ArrayList<>();
        for (int i = 0; i < prompts.size(); i++) {
            handles.add(engine.submit(new GenerationRequest("bench-" + i, prompts.get(i), o)));
        }
        // One reader per request, so each first token is timed when it arrives.
        List<java.util.concurrent.Future<RequestTimes>> times = new ArrayList<>();
        try (var readers = java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor()) {
            for (GenerationHandle h : handles) {
                times.add(readers.submit(() -> drain(h, start)));
            }
        }
        double ttftSum = 0;
        double tpotSum = 0;
        int tpotCount = 0;
        long outputTokens = 0;
        for (var f : times) {
            RequestTimes t = join(f);
            ttftSum += t.ttftSeconds;
            outputTokens += t.outputTokens;
            if (t.outputTokens > 1) {
                tpotSum += (t.lastSeconds - t.ttftSeconds) / (t.outputTokens - 1);
                tpotCount++;
            }
        }
        return new RoundResult(ttftSum, tpotSum, tpotCount, outputTokens);
    }

    private record RequestTimes(double ttftSeconds, double lastSeconds, int outputTokens) {
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
        double last = -1;
        while (true) {
            GenerationEvent e = h.poll(10, TimeUnit.MINUTES);
            switch (e) {
                case null -> throw new IllegalStateException("request " + h.id() + " made no progress for 10 minutes");
                case GenerationEvent.Delta d -> {
                    if (!d.tokens().isEmpty()) {
                        last = (System.nanoTime() - start) / 1e9;
                        ttft = ttft < 0 ? last : ttft;
                    }
                }
                case GenerationEvent.Finished f -> {
                    return new RequestTimes(ttft, last, f.completionTokens());
                }
                case GenerationEvent.Failed f -> throw new IllegalStateException("request " + h.id() + " failed: "
                        + f.message());
            }
        }
    }
}
