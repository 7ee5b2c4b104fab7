package io.podserve.cli.bench;

import io.podserve.kernels.Backend;
import io.podserve.kernels.cpu.CpuBackend;
import io.podserve.kernels.cpu.MachineLimits;
import io.podserve.model.checkpoint.Checkpoint;
import io.podserve.units.model.Chunk;
import io.podserve.units.model.Model;
import io.podserve.units.model.ModelOptions;
import io.podserve.units.model.Sequence;
import io.podserve.units.placement.LocalPlacement;
import io.podserve.cli.QuantizationOption;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;

/**
 * {@code podserve bench-model}: decode and prefill speed of the collocated model, engine only (no
 * server), each as a fraction of the roofline of this machine, whose limits it measures first.
 */
@Command(name = "bench-model", mixinStandardHelpOptions = true,
        description = {"Measure decode tokens/s at several batch sizes and prefill tokens/s of one prompt on the "
                + "collocated CPU model, each against its roofline: max(bytes the step reads / measured memory "
                + "bandwidth, FLOPs / measured peak FLOP/s). Bytes count the distinct experts the batch's routing "
                + "touched. Run on an idle machine."})
public final class BenchModelCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--model", required = true, paramLabel = "DIR", description = "model directory")
    Path model;

    @Mixin
    QuantizationOption quantization;

    @Option(names = "--batch", split = ",", defaultValue = "1,8,32", paramLabel = "B,B,...",
            description = "decode batch sizes (default: ${DEFAULT-VALUE})")
    int[] batches;

    @Option(names = "--context", defaultValue = "128", paramLabel = "TOKENS",
            description = "prompt length of each decoding sequence (default: ${DEFAULT-VALUE})")
    int context;

    @Option(names = "--steps", defaultValue = "16", paramLabel = "N",
            description = "decode steps measured per batch size, after as many warm-up steps (default: ${DEFAULT-VALUE})")
    int steps;

    @Option(names = "--prefill", defaultValue = "512", paramLabel = "TOKENS",
            description = "prompt length of the prefill measurement, 0 to skip (default: ${DEFAULT-VALUE})")
    int prefill;

    @Option(names = "--breakdown",
            description = "also print, per batch size and for the prefill, the time spent in each kind of unit and "
                    + "of kernel (a timing layer around the backend: step times with it are a little slower)")
    boolean breakdown;

    /** The timing layer around the backend with --breakdown, else null. */
    private TimedBackend kernels;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        int cores = Runtime.getRuntime().availableProcessors();
        double peak = MachineLimits.peakGflops(cores) * 1e9;
        try (MachineLimits.ReadProbe probe = new MachineLimits.ReadProbe(2L << 30, cores)) {
            out.printf("machine: %d cores, measured read bandwidth %.1f GB/s, peak f32 FMA %.0f GFLOP/s%n",
                    cores, probe.measureGBs(), peak / 1e9);
            out.println("(the read bandwidth is measured again before each row below; each row's roofline uses its own)");
            benchmark(probe, peak, out);
        }
        out.flush();
        return 0;
    }

    private void benchmark(MachineLimits.ReadProbe probe, double peak, PrintWriter out) throws Exception {
        boolean q8 = quantization.q8();
        int maxBatch = java.util.Arrays.stream(batches).max().orElse(1);
        int tokensPerSeq = context + 2 * steps + 1;
        int pages = Math.max(maxBatch * (Math.ceilDiv(tokensPerSeq, 16) + 1), Math.ceilDiv(prefill + 1, 16) + 1);
        try (Checkpoint ckpt = Checkpoint.open(model);
             CpuBackend cpu = CpuBackend.create()) {
            kernels = breakdown ? new TimedBackend(cpu) : null;
            Backend backend = breakdown ? kernels : cpu;
            run(ckpt, cpu, backend, pages, q8, probe, peak, out);
        }
    }

    private void run(Checkpoint ckpt, CpuBackend cpu, Backend backend, int pages, boolean q8,
            MachineLimits.ReadProbe probe, double peak, PrintWriter out) throws Exception {
        try (Model m = Model.load(ckpt, backend, new ModelOptions(16, pages, q8))) {
            long t0 = System.nanoTime(); // before anything is timed: the rarely used format's kernels compiled
            if (cpu.warmUpMixedFormats(m.matrixFormats())) {
                out.printf("kernels warmed up for %s in %.1f s%n", m.matrixFormats(), (System.nanoTime() - t0) / 1e9);
            }
            StepRoofline roofline = new StepRoofline(ckpt.config(), q8);
            out.printf("model: %s (%s, %d layers), weights %s%n", model, ckpt.config().architecture(),
                    ckpt.config().numLayers(), q8 ? "q8" : "as stored");
            out.printf("%-8s %12s %12s %14s %12s %10s%n", "batch", "step ms", "tokens/s", "roofline ms", "% roofline",
                    "read GB/s");
            for (int batch : batches) {
                decode(m, roofline, batch, probe, peak, out);
            }
            if (prefill > 0) {
                prefill(m, roofline, probe, peak, out);
            }
        }
    }

    private void decode(Model m, StepRoofline roofline, int batch, MachineLimits.ReadProbe probe, double peak,
            PrintWriter out) throws Exception {
        double bandwidth = 0;
        UnitTimes times = new UnitTimes(new LocalPlacement(), kernels);
        ExpertTally tally = new ExpertTally(times);
        double seconds = 0;
        double rooflineSeconds = 0;
        try (DecodeBatch decoding = new DecodeBatch(m, batch, context, new SplittableRandom(batch), tally)) {
            for (int i = 0; i < 2 * steps; i++) {
                if (i == steps) {
                    bandwidth = probe.measureGBs() * 1e9; // after the warm-up, next to the measured steps
                    resetBreakdown(times);
                }
                long ctx = decoding.nextContextTokens();
                tally.takeDistinct();
                double t = decoding.step(tally);
                if (i >= steps) { // the first half warms the JIT and caches
                    seconds += t;
                    rooflineSeconds += StepRoofline.seconds(roofline.bytes(tally.takeDistinct(), ctx),
                            roofline.flops(batch, batch, ctx), bandwidth, peak);
                }
            }
        }
        double step = seconds / steps;
        out.printf("%-8d %12.2f %12.1f %14.2f %11.0f%% %10.1f%n", batch, step * 1e3, batch / step,
                rooflineSeconds / steps * 1e3, 100 * rooflineSeconds / seconds, bandwidth / 1e9);
        if (breakdown) {
            times.print(out, steps, step);
            kernels.print(out, steps, step);
        }
    }

    /** Forgets the unit and kernel times added so far. */
    private void resetBreakdown(UnitTimes times) {
        times.reset();
        if (kernels != null) {
            kernels.reset();
        }
    }

    private void prefill(Model m, StepRoofline roofline, MachineLimits.ReadProbe probe, double peak, PrintWriter out)
            throws Exception {
        double bandwidth = probe.measureGBs() * 1e9;
        UnitTimes times = new UnitTimes(new LocalPlacement(), kernels);
        ExpertTally tally = new ExpertTally(times);
        int[] prompt = new SplittableRandom(7).ints(prefill, 0, m.config().vocabSize()).toArray();
        double best = Double.MAX_VALUE;
        double last = 0;
        long distinct = 0;
        for (int run = 0; run < 3; run++) {
            Sequence s = m.newSequence();
            tally.takeDistinct();
            resetBreakdown(times);
            long t0 = System.nanoTime();
            m.step(List.of(new Chunk(s, prompt, false)), tally);
            last = (System.nanoTime() - t0) / 1e9;
            best = Math.min(best, last);
            distinct = tally.takeDistinct();
            m.release(s);
        }
        long contextSum = (long) prefill * (prefill + 1) / 2;
        double flops = roofline.flops(prefill, 1, contextSum);
        double rooflineSeconds = StepRoofline.seconds(roofline.bytes(distinct, contextSum), flops, bandwidth, peak);
        out.printf("prefill %d tokens: %.3f s, %.0f tokens/s, %.1f GFLOP/s = %.0f%% of peak (roofline %.3f s, %.0f%%; "
                + "read %.1f GB/s)%n", prefill, best, prefill / best, flops / best / 1e9, 100 * flops / best / peak,
                rooflineSeconds, 100 * rooflineSeconds / best, bandwidth / 1e9);
        if (breakdown) {
            times.print(out, 1, last); // the last run's, against its own time
            kernels.print(out, 1, last);
        }
    }
}
