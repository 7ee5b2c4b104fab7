package io.podserve.jmh;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

import io.podserve.kernels.Q8;
import io.podserve.kernels.WeightFormat;
import io.podserve.kernels.Weights;
import io.podserve.kernels.cpu.CpuBackend;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * {@code y = x · Wᵀ} on the CPU backend (all cores) for Qwen3-30B-A3B expert shapes, written
 * {@code out x in} as the checkpoint stores them: {@code 768x2048} is gate_proj/up_proj (hidden 2048
 * → intermediate 768), {@code 2048x768} is down_proj; plus a square 4096 one. Each invocation uses the next of several copies of W spanning
 * {@link #poolMiB} MiB, so weights come from DRAM as a decode step's experts do, not from cache.
 *
 * <p>Throughput mode; the aux counters turn ops/s into weight GB/s ({@code weightGB}) and GFLOP/s
 * ({@code gflop}, 2·batch·out·in per call). NOTE: keep 3 or more one-second warmup iterations:
 * C2 needs over a second on two cores to compile the large tile methods, and one warmup second
 * measured up to 5× low.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED"})
public class MatmulBenchmark {
    @Param({"BF16", "Q8", "F32"})
    public WeightFormat format;

    @Param({"1", "8", "32"})
    public int batch;

    /** {@code out x in}. */
    @Param({"2048x768", "768x2048", "4096x4096"})
    public String shape;

    /** MiB of weight copies cycled through, well past the last-level cache. */
    @Param({"2048"})
    public int poolMiB;

    private Arena arena;
    private CpuBackend backend;
    private Weights[] copies;
    private int next;
    private MemorySegment x; // f32 [batch, in]
    private MemorySegment y; // f32 [batch, out]
    private double weightGBPerCall;
    private double gflopPerCall;

    /** Per-iteration rates JMH reports alongside ops/s. */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.OPERATIONS)
    public static class Rates {
        public double weightGB;
        public double gflop;

        @Setup(Level.Iteration)
        public void reset() {
            weightGB = 0;
            gflop = 0;
        }
    }

    @Setup(Level.Trial)
    public void setUp() {
        String[] dims = shape.split("x");
        int out = Integer.parseInt(dims[0]);
        int in = Integer.parseInt(dims[1]);
        arena = Arena.ofShared();
        backend = CpuBackend.create();
        Weights first = randomWeights(out, in);
        long bytes = first.data().byteSize();
        int numCopies = (int) Math.max(1, Math.min(4096, ((long) poolMiB << 20) / bytes));
        copies = new Weights[numCopies];
        copies[0] = first;
        for (int c = 1; c < numCopies; c++) {
            MemorySegment data = arena.allocate(bytes, 64);
            data.copyFrom(first.data());
            copies[c] = new Weights(format, out, in, data);
        }
        x = arena.allocate((long) batch * in * 4, 64);
        SplittableRandom random = new SplittableRandom(42);
        for (long i = 0; i < (long) batch * in; i++) {
            x.setAtIndex(ValueLayout.JAVA_FLOAT_UNALIGNED, i, (float) (random.nextDouble() * 2 - 1));
        }
        y = arena.allocate((long) batch * out * 4, 64);
        weightGBPerCall = bytes / 1e9;
        gflopPerCall = 2.0 * batch * out * in / 1e9;
    }

    private Weights randomWeights(int out, int in) {
        WeightFormat stored = format == WeightFormat.Q8 ? WeightFormat.BF16 : format;
        Weights w = Weights.allocate(arena, stored, out, in);
        SplittableRandom random = new SplittableRandom(7);
        for (int r = 0; r < out; r++) {
            for (int c = 0; c < in; c++) {
                w.set(r, c, (float) (random.nextDouble() * 0.2 - 0.1));
            }
        }
        return format == WeightFormat.Q8 ? Q8.quantize(w, arena) : w;
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        backend.close();
        arena.close();
    }

    @Benchmark
    public void matmul(Rates rates) {
        Weights w = copies[next];
        next = next + 1 == copies.length ? 0 : next + 1;
        backend.matmul(x, w, y, batch);
        rates.weightGB += weightGBPerCall;
        rates.gflop += gflopPerCall;
    }
}
