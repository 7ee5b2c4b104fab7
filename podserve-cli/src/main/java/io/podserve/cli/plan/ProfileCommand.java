package io.podserve.cli.plan;

import io.podserve.cli.QuantizationOption;
import io.podserve.kernels.cpu.CpuBackend;
import io.podserve.model.checkpoint.Checkpoint;
import io.podserve.planner.calibrate.Calibrator;
import io.podserve.planner.calibrate.Measurement;
import io.podserve.planner.catalog.HardwareCatalog;
import io.podserve.planner.catalog.HardwareWriter;
import io.podserve.planner.catalog.WeightFormat;
import io.podserve.planner.cost.ModelShape;
import io.podserve.planner.cost.Precision;
import io.podserve.units.model.Model;
import io.podserve.units.model.ModelOptions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/**
 * {@code podserve profile}: measures this machine's limits and podserve's step times on a model,
 * fits the planner's host cost and efficiency curves to them, and writes a hardware profile named
 * {@code cpu} that {@code podserve plan --hardware cpu --hardware-file FILE} reads.
 */
@Command(name = "profile", mixinStandardHelpOptions = true,
        description = {"Calibrate the planner on this machine: measure memory bandwidth and peak FLOP/s, then time "
                + "podserve's model steps (decode over batch sizes and context lengths, prefill chunks), fit host "
                + "dispatch per kernel and efficiency curves so the planner's cost model reproduces them, and write "
                + "the result as a hardware profile (YAML) named cpu. Run on an idle machine."})
public final class ProfileCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--model", required = true, paramLabel = "DIR", description = "model directory to time")
    Path model;

    @Mixin
    QuantizationOption quantization;

    @Option(names = "--out", defaultValue = "cpu-profile.yaml", paramLabel = "FILE",
            description = "where to write the profile (default: ${DEFAULT-VALUE})")
    Path out;

    @Option(names = "--batch", split = ",", defaultValue = "1,2,4,8,16", paramLabel = "B,B,...",
            description = "decode batch sizes (default: ${DEFAULT-VALUE})")
    int[] batches;

    @Option(names = "--context", split = ",", defaultValue = "64,512", paramLabel = "T,T,...",
            description = "context lengths the decode batches attend over; batches above 4 run at the shortest only "
                    + "(default: ${DEFAULT-VALUE})")
    int[] contexts;

    @Option(names = "--prefill", split = ",", defaultValue = "16,64,256", paramLabel = "N,N,...",
            description = "prefill chunk sizes (default: ${DEFAULT-VALUE})")
    int[] prefills;

    @Option(names = "--steps", defaultValue = "6", paramLabel = "N",
            description = "decode steps timed per point, after as many warm-up steps (default: ${DEFAULT-VALUE})")
    int steps;

    @Option(names = "--from-steps", paramLabel = "CSV",
            description = "refit from steps a previous run saved (OUT.steps.csv) instead of measuring again")
    Path fromSteps;

    @Override
    public Integer call() throws Exception {
        PrintWriter pw = spec.commandLine().getOut();
        boolean q8 = quantization.q8();
        CpuProfile.Limits limits;
        List<Measurement> ms;
        ModelShape shape;
        try (Checkpoint ckpt = Checkpoint.open(model);
             CpuBackend backend = CpuBackend.create()) {
            if (fromSteps != null) {
                StepLog.Loaded loaded = StepLog.read(fromSteps);
                limits = loaded.limits();
                ms = loaded.steps();
            } else {
                System.err.println("measuring memory bandwidth and peak FLOP/s...");
                limits = CpuProfile.Limits.measure();
                ms = measure(ckpt, backend, q8);
                StepLog.write(Path.of(out + ".steps.csv"), limits, ms);
            }
            pw.printf(Locale.ROOT, "machine: %d cores, %.1f GB/s read, %.0f GFLOP/s f32 FMA%n", limits.cores(),
                    limits.bandwidth() / 1e9, limits.peakFlops() / 1e9);
            shape = ModelShape.of(model.toString(), ckpt.config());
            Precision precision = Precision.of(ckpt.config(), q8 ? WeightFormat.Q8 : WeightFormat.BF16, 4);
            HardwareCatalog catalog = HardwareCatalog.builtin();
            catalog.include(CpuProfile.profile(limits, 0, 5e-6, null), "measured now");
            Calibrator.Fit fit = new Calibrator(shape, precision, catalog.get("cpu")).fit(ms);
            report(pw, ms, fit);
            HardwareWriter.write(out, fit.hardware(), "podserve profile --model " + model + (q8 ? " --quantization q8" : "")
                    + "\nfitted to " + ms.size() + " measured steps, rms error " + pct(fit.rmsLogError())
                    + "\nhost overhead per step = kernels x eagerPerKernel + sequences x perSequence");
            pw.printf("wrote %s (use: podserve plan --hardware cpu --hardware-file %s ...)%n", out, out);
        }
        pw.flush();
        return 0;
    }

    private List<Measurement> measure(Checkpoint ckpt, CpuBackend backend, boolean q8) {
        int maxContext = java.util.Arrays.stream(contexts).max().orElse(64) + 4 * steps + 2;
        int maxBatch = java.util.Arrays.stream(batches).max().orElse(1);
        int maxPrefill = java.util.Arrays.stream(prefills).max().orElse(16);
        int pages = maxBatch * (Math.ceilDiv(maxContext, 16) + 1) + Math.ceilDiv(maxPrefill, 16) + 2;
        try (Model m = Model.load(ckpt, backend, new ModelOptions(16, pages, q8))) {
            backend.warmUpMixedFormats(m.matrixFormats()); // as bench-model: else a q8 model's router times uncompiled
            return new StepTimer(m, steps).measure(batches, contexts, prefills);
        }
    }

    private static void report(PrintWriter pw, List<Measurement> ms, Calibrator.Fit fit) {
        pw.printf("%-28s %12s %12s %8s%n", "step", "measured ms", "fitted ms", "error");
        for (int i = 0; i < ms.size(); i++) {
            Measurement m = ms.get(i);
            pw.printf(Locale.ROOT, "%-28s %12.2f %12.2f %8s%n", m.label(), m.seconds() * 1e3, fit.predicted()[i] * 1e3,
                    pct(fit.predicted()[i] / m.seconds() - 1));
        }
        var h = fit.hardware();
        pw.printf(Locale.ROOT, "fitted: host %.1f us per kernel and %.2f ms per sequence; memory efficiency %.2f; "
                        + "attention efficiency %.2f; GEMM efficiency by rows %s%n", h.dispatchEager() * 1e6,
                h.seqOverhead() * 1e3, h.memoryEfficiency().at(1),
                h.attentionEfficiency().at(1), curve(h.gemmEfficiency()));
    }

    private static String curve(io.podserve.planner.catalog.EfficiencyCurve c) {
        StringBuilder b = new StringBuilder();
        for (double[] p : c.points()) {
            b.append(String.format(Locale.ROOT, "%.0f:%.2f ", p[0], p[1]));
        }
        return b.toString().strip();
    }

    private static String pct(double f) {
        return String.format(Locale.ROOT, "%+.1f%%", f * 100);
    }
}
