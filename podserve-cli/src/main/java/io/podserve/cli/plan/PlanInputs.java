package io.podserve.cli.plan;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.podserve.model.config.ModelConfig;
import io.podserve.planner.catalog.Hardware;
import io.podserve.planner.catalog.HardwareCatalog;
import io.podserve.planner.catalog.ModelCatalog;
import io.podserve.planner.catalog.WeightFormat;
import io.podserve.planner.cost.ModelShape;
import io.podserve.planner.cost.Precision;
import io.podserve.planner.search.PlanContext;
import io.podserve.planner.sim.Mtp;
import io.podserve.planner.sim.Slo;
import io.podserve.planner.sim.Workload;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** What {@code podserve plan} plans for: model, hardware, workload, latency targets and scheduler limits. */
public final class PlanInputs {
    @Option(names = "--model", required = true, paramLabel = "M",
            description = "a preset (qwen3-30b-a3b, qwen3-235b-a22b, deepseek-v3, kimi-k2, mixtral-8x7b, gpt-oss-20b, "
                    + "gpt-oss-120b) or a model directory / config.json")
    String model;

    @Option(names = "--layers", defaultValue = "0", paramLabel = "N",
            description = "keep only the first N layers of a preset, as `podserve synth --layers` (default: all)")
    int layers;

    @Option(names = "--hardware", required = true, paramLabel = "H",
            description = "a hardware profile: h100-sxm, h800, h200, a100, ascend-910b, ascend-910c, cloudmatrix384, "
                    + "a profile from --hardware-file, or cpu (this machine; measured now unless a file defines it)")
    String hardware;

    @Option(names = "--hardware-file", paramLabel = "FILE",
            description = "YAML or JSON hardware profiles that add to or override the catalog (repeatable); "
                    + "`podserve profile` writes one")
    List<Path> hardwareFiles = new ArrayList<>();

    @Option(names = "--weights", paramLabel = "DTYPE",
            description = "store every weight as f32, bf16, fp8, int8, q8 or mxfp4 (default: as the checkpoint ships: "
                    + "fp8 for DeepSeek/Kimi, mxfp4 experts for GPT-OSS, else bf16)")
    String weights;

    @Option(names = "--input-len", defaultValue = "2000", paramLabel = "TOKENS",
            description = "mean prompt tokens (default: ${DEFAULT-VALUE})")
    int inputLen;

    @Option(names = "--output-len", defaultValue = "500", paramLabel = "TOKENS",
            description = "mean output tokens (default: ${DEFAULT-VALUE})")
    int outputLen;

    @Option(names = "--len-spread", defaultValue = "0", paramLabel = "F",
            description = "lengths uniform within ±F of their means, F in [0, 1) (default: ${DEFAULT-VALUE}, fixed lengths)")
    double lenSpread;

    @Option(names = "--arrival", defaultValue = "poisson", paramLabel = "KIND",
            description = "poisson, gamma (bursts with --burst-cv) or trace (--trace) (default: ${DEFAULT-VALUE})")
    String arrival;

    @Option(names = "--burst-cv", defaultValue = "2", paramLabel = "CV",
            description = "coefficient of variation of gamma inter-arrival gaps (default: ${DEFAULT-VALUE})")
    double burstCv;

    @Option(names = "--trace", paramLabel = "CSV",
            description = "timestamp_seconds,input_tokens,output_tokens per line; replayed scaled to each rate tried")
    Path trace;

    @Option(names = "--slo-ttft-ms", required = true, paramLabel = "MS", description = "time-to-first-token target")
    double sloTtftMs;

    @Option(names = "--slo-tpot-ms", required = true, paramLabel = "MS", description = "time-per-output-token target")
    double sloTpotMs;

    @Option(names = "--slo-fraction", defaultValue = "0.9", paramLabel = "F",
            description = "fraction of requests that must meet both targets (default: ${DEFAULT-VALUE})")
    double sloFraction;

    @Option(names = "--max-num-seqs", defaultValue = "256", paramLabel = "N",
            description = "running requests per data-parallel rank at most, as the engine's option (default: ${DEFAULT-VALUE})")
    int maxNumSeqs;

    @Option(names = "--max-batched-tokens", defaultValue = "8192", paramLabel = "N",
            description = "token budget of one step, as the engine's option (default: ${DEFAULT-VALUE})")
    int maxBatchedTokens;

    @Option(names = "--kv-cache-gb", defaultValue = "0", paramLabel = "G",
            description = "KV cache per chip in GiB, as `podserve serve --kv-cache-gb` sizes it (default: 0 = all the "
                    + "memory the weights leave)")
    double kvCacheGb;

    @Option(names = "--block-size", defaultValue = "16", paramLabel = "TOKENS",
            description = "KV cache block size (default: ${DEFAULT-VALUE})")
    int blockSize;

    @Option(names = "--mtp", defaultValue = "0", paramLabel = "N",
            description = "multi-token prediction: draft tokens verified per decode step (default: ${DEFAULT-VALUE}, off)")
    int mtp;

    @Option(names = "--mtp-acceptance", defaultValue = "0.8", paramLabel = "P",
            description = "probability each drafted token is accepted (default: ${DEFAULT-VALUE})")
    double mtpAcceptance;

    @Option(names = "--requests", defaultValue = "600", paramLabel = "N",
            description = "requests per simulated run; the first tenth warm up (a trace: none, and it cycles "
                    + "when shorter) (default: ${DEFAULT-VALUE})")
    int requests;

    @Option(names = "--seed", defaultValue = "1", paramLabel = "N", description = "random seed (default: ${DEFAULT-VALUE})")
    long seed;

    PlanContext context() throws Exception {
        ModelConfig config = ModelCatalog.resolve(model, layers);
        Hardware hw = hardware();
        WeightFormat override = weights == null ? null : WeightFormat.parse(weights);
        Precision precision = Precision.of(config, override, hw.kvElementBytes());
        Workload workload = workload();
        if (requests < (workload.arrivals() == Workload.Arrivals.TRACE ? 1 : 20)) {
            throw new IllegalArgumentException("--requests must be >= 20 (>= 1 for a trace), got " + requests);
        }
        return new PlanContext(config, ModelShape.of(model, config), precision, hw, workload,
                new Slo(sloTtftMs / 1e3, sloTpotMs / 1e3, sloFraction), maxNumSeqs, maxBatchedTokens, blockSize,
                mtp == 0 ? Mtp.NONE : new Mtp(mtp, mtpAcceptance), requests, seed, kvCacheGb * (1L << 30));
    }

    private Hardware hardware() throws Exception {
        HardwareCatalog catalog = HardwareCatalog.load(hardwareFiles);
        if (hardware.equals("cpu") && !catalog.names().contains("cpu")) {
            System.err.println("measuring this machine for --hardware cpu (run `podserve profile` for a calibrated profile)");
            ObjectNode p = CpuProfile.profile(CpuProfile.Limits.measure(), 1e-4, 2e-6, null);
            catalog.include(p, "measured now");
        }
        return catalog.get(hardware);
    }

    private Workload workload() {
        return switch (arrival) {
            case "poisson" -> new Workload(Workload.Arrivals.POISSON, 1, inputLen, outputLen, lenSpread, List.of());
            case "gamma" -> new Workload(Workload.Arrivals.GAMMA, burstCv, inputLen, outputLen, lenSpread, List.of());
            case "trace" -> {
                if (trace == null) {
                    throw new IllegalArgumentException("--arrival trace needs --trace CSV");
                }
                yield Workload.trace(trace);
            }
            default -> throw new IllegalArgumentException("--arrival takes poisson, gamma or trace, got '" + arrival + "'");
        };
    }

    /** The inputs as JSON, for the report. */
    ObjectNode describe(ObjectNode o, int chips) {
        o.put("model", model).put("layers", layers).put("hardware", hardware).put("chips", chips)
                .put("inputLen", inputLen).put("outputLen", outputLen).put("lenSpread", lenSpread).put("arrival", arrival)
                .put("sloTtftMs", sloTtftMs).put("sloTpotMs", sloTpotMs).put("sloFraction", sloFraction)
                .put("maxNumSeqs", maxNumSeqs).put("kvCacheGb", kvCacheGb).put("maxBatchedTokens", maxBatchedTokens).put("mtp", mtp)
                .put("requests", requests).put("seed", seed);
        return o;
    }
}
