package io.podserve.cli.bench;

import io.podserve.bench.BenchConfig;
import io.podserve.bench.BenchListener;
import io.podserve.bench.BenchResult;
import io.podserve.bench.BenchRunner;
import io.podserve.bench.WarmupFailedException;
import io.podserve.bench.client.Endpoint;
import io.podserve.bench.client.RequestRecord;
import io.podserve.bench.report.Slo;
import io.podserve.bench.workload.DatasetSpec;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * {@code podserve bench}: load on any OpenAI-compatible server, reported as vLLM's serving
 * benchmark reports it. Parses options only; the work is podserve-bench's {@link BenchRunner}.
 */
@Command(name = "bench", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Send streamed requests to an OpenAI-compatible server (podserve serve, vLLM, ...) and report "
                + "request and token throughput, TTFT, TPOT, ITL and end-to-end latency (mean, median, p90, p99), "
                + "SLO attainment and goodput. Metrics follow vLLM's `bench serve`: TTFT = send to first chunk "
                + "carrying text; TPOT = (E2E - TTFT) / (output tokens - 1); ITL = gaps between text chunks; "
                + "output tokens from the server's usage when it sends one.",
                "Exit status: 0 when at least one request succeeded, 1 when the warm-up or every request failed, "
                        + "2 on bad options."})
public final class BenchCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--url", defaultValue = "http://127.0.0.1:8000", paramLabel = "URL",
            description = "server base URL; /v1/... is appended unless present (default: ${DEFAULT-VALUE})")
    String url;

    @Option(names = "--model", required = true, paramLabel = "NAME", description = "model name the server serves")
    String model;

    @Option(names = "--endpoint", defaultValue = "completions", paramLabel = "completions|chat",
            description = "/v1/completions or /v1/chat/completions (default: ${DEFAULT-VALUE})")
    String endpoint;

    @Option(names = "--api-key", paramLabel = "KEY", defaultValue = "${env:OPENAI_API_KEY}",
            description = "bearer token to send (default: $OPENAI_API_KEY, none when unset); never written to --json")
    String apiKey;

    @Option(names = "--num-prompts", defaultValue = "100", paramLabel = "N",
            description = "requests to send (default: ${DEFAULT-VALUE})")
    int numPrompts;

    @Option(names = "--request-rate", defaultValue = "inf", paramLabel = "R|inf",
            description = "mean requests per second, arrivals Poisson (see --burstiness); inf sends all at once "
                    + "(default: ${DEFAULT-VALUE})")
    String requestRate;

    @Option(names = "--burstiness", defaultValue = "1", paramLabel = "B",
            description = "gamma shape of the gaps between arrivals at the same mean rate: 1 is Poisson, below 1 "
                    + "burstier, above 1 more even (default: ${DEFAULT-VALUE})")
    double burstiness;

    @Option(names = "--max-concurrency", defaultValue = "0", paramLabel = "N",
            description = "most requests in flight; an arrival waits for a free slot, and its times start when sent "
                    + "(default: 0, no limit)")
    int maxConcurrency;

    @Option(names = "--dataset", defaultValue = "synthetic", paramLabel = "synthetic|FILE.jsonl",
            description = {"synthetic: random common words, --input-len of them (about one token each); or a JSON "
                    + "Lines file, one {\"prompt\": \"...\", \"output_len\": N, \"prompt_len\": N} a line (prompt "
                    + "required; output_len defaults to --output-len; prompt_len, used only when the server "
                    + "reports no usage, defaults to the word count), used in order and repeated if short "
                    + "(default: ${DEFAULT-VALUE})"})
    String dataset;

    @Option(names = "--input-len", defaultValue = "1024", paramLabel = "TOKENS",
            description = "synthetic prompt length in words (default: ${DEFAULT-VALUE})")
    int inputLen;

    @Option(names = "--output-len", defaultValue = "128", paramLabel = "TOKENS",
            description = "max_tokens of each request (default: ${DEFAULT-VALUE})")
    int outputLen;

    @Option(names = "--range-ratio", defaultValue = "0", paramLabel = "R",
            description = "synthetic lengths drawn uniformly from len * [1-R, 1+R], R in [0, 1) (default: ${DEFAULT-VALUE})")
    double rangeRatio;

    @Option(names = "--prefix-len", defaultValue = "0", paramLabel = "TOKENS",
            description = "words of one shared prefix before every synthetic prompt, to exercise prefix caching "
                    + "(default: ${DEFAULT-VALUE})")
    int prefixLen;

    @Option(names = "--seed", defaultValue = "0", paramLabel = "N",
            description = "seed of the synthetic prompts and the arrival times (default: ${DEFAULT-VALUE})")
    long seed;

    @Option(names = "--ignore-eos", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "send ignore_eos (vLLM extension) so every output is exactly max_tokens long "
                    + "(default: on; --no-ignore-eos for servers that reject unknown fields)")
    boolean ignoreEos;

    @Option(names = "--temperature", defaultValue = "0", paramLabel = "T",
            description = "sampling temperature to request (default: ${DEFAULT-VALUE})")
    double temperature;

    @Option(names = "--slo-ttft-ms", paramLabel = "MS", description = "goodput target: TTFT at most this")
    Double sloTtftMs;

    @Option(names = "--slo-tpot-ms", paramLabel = "MS", description = "goodput target: TPOT at most this")
    Double sloTpotMs;

    @Option(names = "--slo-e2e-ms", paramLabel = "MS", description = "goodput target: end-to-end latency at most this")
    Double sloE2eMs;

    @Option(names = "--timeout", defaultValue = "600", paramLabel = "SECONDS",
            description = "a request not finished this long after it was sent fails as timed out (default: ${DEFAULT-VALUE})")
    double timeoutSeconds;

    @Option(names = "--warmup", defaultValue = "1", paramLabel = "N",
            description = "requests sent one by one before the measured run and not counted; if one fails, "
                    + "nothing is measured and the command exits 1 (default: ${DEFAULT-VALUE})")
    int warmup;

    @Option(names = "--json", paramLabel = "OUT",
            description = "also write the config, the summary (vLLM's key names) and every request's record "
                    + "(send time, TTFT, ITLs, E2E, token counts, error) to this file")
    Path json;

    @Option(names = "--no-progress", description = "draw no progress bar on stderr")
    boolean noProgress;

    @Override
    public Integer call() throws InterruptedException {
        BenchConfig config = config();
        PrintWriter out = spec.commandLine().getOut();
        BenchResult result;
        try {
            result = run(config);
        } catch (WarmupFailedException e) {
            spec.commandLine().getErr().println("error: " + e.getMessage());
            return 1;
        }
        out.print(result.table());
        if (json != null) {
            result.writeJson(json);
            out.println("Wrote " + json);
        }
        out.flush();
        return result.summary().completed() > 0 ? 0 : 1;
    }

    private BenchResult run(BenchConfig config) throws InterruptedException {
        if (noProgress) {
            return BenchRunner.run(config);
        }
        ProgressListener progress = new ProgressListener();
        try {
            return BenchRunner.run(config, progress);
        } finally {
            progress.close();
        }
    }

    private BenchConfig config() {
        if (!(timeoutSeconds > 0) || Double.isInfinite(timeoutSeconds)) {
            throw new IllegalArgumentException("--timeout must be a positive number of seconds, got " + timeoutSeconds);
        }
        DatasetSpec data = new DatasetSpec(dataset.equals("synthetic") ? null : Path.of(dataset), inputLen, outputLen,
                rangeRatio, prefixLen);
        return BenchConfig.builder(url, model)
                .endpoint(Endpoint.fromName(endpoint))
                .apiKey(apiKey)
                .dataset(data)
                .numPrompts(numPrompts)
                .requestRate(BenchConfig.parseRate(requestRate))
                .burstiness(burstiness)
                .maxConcurrency(maxConcurrency)
                .seed(seed)
                .ignoreEos(ignoreEos)
                .temperature(temperature)
                .requestTimeout(Duration.ofMillis(Math.round(timeoutSeconds * 1000)))
                .slo(new Slo(sloTtftMs, sloTpotMs, sloE2eMs))
                .warmupRequests(warmup)
                .build();
    }

    /** A bar of finished requests on stderr, drawn once the measured run starts (after the warm-up). */
    private static final class ProgressListener implements BenchListener {
        private final AtomicInteger failed = new AtomicInteger();
        private volatile ProgressBar bar;

        @Override
        public void started(int numRequests) {
            bar = new ProgressBarBuilder()
                    .setTaskName("bench")
                    .setInitialMax(numRequests)
                    .setUnit(" req", 1)
                    .setStyle(ProgressBarStyle.ASCII)
                    .setUpdateIntervalMillis(250)
                    .continuousUpdate()
                    .build();
        }

        @Override
        public void requestDone(RequestRecord record) {
            if (!record.success()) {
                bar.setExtraMessage(failed.incrementAndGet() + " failed");
            }
            bar.step();
        }

        void close() {
            if (bar != null) {
                bar.close();
            }
        }
    }
}
