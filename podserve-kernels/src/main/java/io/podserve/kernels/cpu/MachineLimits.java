package io.podserve.kernels.cpu;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteOrder;
import java.util.concurrent.CyclicBarrier;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Measures what this machine can do at most, to state kernel results against:
 * <ul>
 *   <li>memory read bandwidth: every thread streams its slice of a buffer far larger than the
 *       caches, summing it with vector loads (best of several passes);
 *   <li>peak f32 FMA rate: every thread runs register-resident fused multiply-adds on independent
 *       accumulators, enough of them to cover the FMA latency on every port.
 * </ul>
 * Each is measured on one thread and on all cores. Benchmarks call {@link #readBandwidthGBs} and
 * {@link #peakGflops} to state results against limits they measured themselves; the main prints both:
 * {@code java --add-modules jdk.incubator.vector -cp podserve.jar io.podserve.kernels.cpu.MachineLimits [bufferMiB]}.
 * Not thread-safe; a one-shot tool.
 */
public final class MachineLimits {
    private static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;
    private static volatile float sink;

    private MachineLimits() {
    }

    public static void main(String[] args) throws Exception {
        int bufferMiB = args.length > 0 ? Integer.parseInt(args[0]) : 4096;
        int cores = Runtime.getRuntime().availableProcessors();
        System.out.printf("species %s (%d lanes), %d cores%n", F, F.length(), cores);
        for (int threads : new int[] {1, cores}) {
            System.out.printf("memory read: %d thread(s) over %d MiB: %.1f GB/s%n", threads, bufferMiB,
                    readBandwidthGBs((long) bufferMiB << 20, threads));
        }
        for (int threads : new int[] {1, cores}) {
            System.out.printf("peak f32 FMA: %d thread(s): %.1f GFLOP/s%n", threads, peakGflops(threads));
        }
    }

    /** Best of 5 passes of {@code threads} threads reading a fresh buffer of {@code bufferBytes}, in GB/s. */
    public static double readBandwidthGBs(long bufferBytes, int threads) throws Exception {
        try (ReadProbe probe = new ReadProbe(bufferBytes, threads)) {
            return probe.measureGBs();
        }
    }

    /**
     * A read-bandwidth measurement that can be repeated: the buffer is allocated, touched and the read
     * loop compiled once, then each {@link #measureGBs} takes the best of 5 passes (tens of
     * milliseconds). NOTE: for benchmarks on shared hosts, whose bandwidth moves with the neighbours'
     * load (the 16-core device machine measured 106 to 243 GB/s between calls and runs): measuring
     * next to each measurement states it against the bandwidth of its own moment.
     */
    public static final class ReadProbe implements AutoCloseable {
        private final Arena arena = Arena.ofShared();
        private final MemorySegment buffer;
        private final int threads;

        public ReadProbe(long bufferBytes, int threads) {
            this.buffer = arena.allocate(bufferBytes, 4096);
            this.threads = threads;
            buffer.fill((byte) 1); // touch every page before timing
            warmSum(buffer);
        }

        /**
         * Best of 5 passes over the buffer, in GB/s. NOTE: the read loop is warmed up again first: loading the model
         * between two measurements (its mapped weights are a new segment class) invalidated the compiled loop,
         * and the next measurement ran partly in the boxed fallback for ~3 s (a JFR profile of bench-model
         * --batch 32 on the 2-core machine: 300 samples of {@code lanewiseTemplate} under {@link #sum} right
         * before the batch's row), understating the bandwidth that row's roofline divides by.
         */
        public double measureGBs() throws Exception {
            warmSum(buffer);
            return best(5, () -> readBandwidth(buffer, threads));
        }

        @Override
        public void close() {
            arena.close();
        }
    }

    /** Best of 3 runs of register-resident f32 FMAs on {@code threads} threads, in GFLOP/s. */
    public static double peakGflops(int threads) throws Exception {
        warmFmaLoop();
        return best(3, () -> peakFma(threads));
    }

    /** Calls of {@link #fmaLoop} short enough to be many: its whole-method C2 compile, intrinsified. */
    private static final int WARM_CALLS = 20_000;
    private static final int WARM_ITERATIONS = 100;

    /**
     * NOTE: without this, each thread's one long call ran in the interpreter and then in on-stack
     * replacement code that kept the Vector API's boxed fallback ({@code lanewiseTemplate}: a JFR
     * profile on the 16-core machine found 41 s of bench-model's start there). Many short calls get
     * the method compiled whole, with the FMAs intrinsified, before any timed run.
     */
    private static void warmFmaLoop() {
        for (int i = 0; i < WARM_CALLS; i++) {
            sink += fmaLoop(WARM_ITERATIONS);
        }
    }

    /**
     * NOTE: the same trap as {@link #warmFmaLoop} for the read loop: a JFR profile of bench-model on
     * the 2-core machine found {@link #sum}'s adds in the boxed fallback ({@code lanewiseTemplate}),
     * which understated the bandwidth every roofline is divided by. Short calls over a cache-sized
     * stretch get it compiled whole first.
     */
    private static void warmSum(MemorySegment buffer) {
        long bytes = Math.min(buffer.byteSize(), 16 * 1024);
        for (int i = 0; i < WARM_CALLS; i++) {
            sink += sum(buffer, 0, bytes);
        }
    }

    interface Measurement {
        double run() throws Exception;
    }

    private static double best(int tries, Measurement m) throws Exception {
        double best = 0;
        for (int t = 0; t < tries; t++) {
            best = Math.max(best, m.run());
        }
        return best;
    }

    /** GB/s of {@code threads} threads each summing a contiguous slice once. */
    private static double readBandwidth(MemorySegment buffer, int threads) throws Exception {
        long slice = buffer.byteSize() / threads / 1024 * 1024;
        double seconds = timeThreads(threads, t -> sink += sum(buffer, t * slice, slice));
        return slice * threads / 1e9 / seconds;
    }

    private static float sum(MemorySegment buffer, long from, long bytes) {
        FloatVector a0 = FloatVector.zero(F), a1 = FloatVector.zero(F);
        FloatVector a2 = FloatVector.zero(F), a3 = FloatVector.zero(F);
        long step = F.vectorByteSize();
        for (long off = from, end = from + bytes - 4 * step; off <= end; off += 4 * step) {
            a0 = a0.add(FloatVector.fromMemorySegment(F, buffer, off, ByteOrder.LITTLE_ENDIAN));
            a1 = a1.add(FloatVector.fromMemorySegment(F, buffer, off + step, ByteOrder.LITTLE_ENDIAN));
            a2 = a2.add(FloatVector.fromMemorySegment(F, buffer, off + 2 * step, ByteOrder.LITTLE_ENDIAN));
            a3 = a3.add(FloatVector.fromMemorySegment(F, buffer, off + 3 * step, ByteOrder.LITTLE_ENDIAN));
        }
        return a0.add(a1).add(a2).add(a3).reduceLanes(VectorOperators.ADD);
    }

    private static final long FMA_ITERATIONS = 50_000_000;
    private static final int ACCUMULATORS = 12;

    /** GFLOP/s of {@code threads} threads each running {@link #FMA_ITERATIONS} × 12 vector FMAs. */
    private static double peakFma(int threads) throws Exception {
        double seconds = timeThreads(threads, t -> sink += fmaLoop(FMA_ITERATIONS));
        double flops = 2.0 * FMA_ITERATIONS * ACCUMULATORS * F.length() * threads;
        return flops / 1e9 / seconds;
    }

    private static float fmaLoop(long iterations) {
        FloatVector m = FloatVector.broadcast(F, 0.999999f);
        FloatVector c = FloatVector.broadcast(F, 1e-7f);
        FloatVector a0 = FloatVector.broadcast(F, 1), a1 = a0.add(1), a2 = a0.add(2), a3 = a0.add(3);
        FloatVector a4 = a0.add(4), a5 = a0.add(5), a6 = a0.add(6), a7 = a0.add(7);
        FloatVector a8 = a0.add(8), a9 = a0.add(9), a10 = a0.add(10), a11 = a0.add(11);
        for (long i = 0; i < iterations; i++) {
            a0 = a0.fma(m, c);
            a1 = a1.fma(m, c);
            a2 = a2.fma(m, c);
            a3 = a3.fma(m, c);
            a4 = a4.fma(m, c);
            a5 = a5.fma(m, c);
            a6 = a6.fma(m, c);
            a7 = a7.fma(m, c);
            a8 = a8.fma(m, c);
            a9 = a9.fma(m, c);
            a10 = a10.fma(m, c);
            a11 = a11.fma(m, c);
        }
        return a0.add(a1).add(a2).add(a3).add(a4).add(a5).add(a6).add(a7).add(a8).add(a9).add(a10).add(a11)
                .reduceLanes(VectorOperators.ADD);
    }

    interface PerThread {
        void run(int thread);
    }

    /** Runs {@code body} on {@code threads} threads started together; returns the seconds taken. */
    private static double timeThreads(int threads, PerThread body) throws Exception {
        CyclicBarrier start = new CyclicBarrier(threads + 1);
        Thread[] workers = new Thread[threads];
        for (int t = 0; t < threads; t++) {
            int id = t;
            workers[t] = Thread.ofPlatform().start(() -> {
                try {
                    start.await();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
                body.run(id);
            });
        }
        start.await();
        long began = System.nanoTime();
        for (Thread w : workers) {
            w.join();
        }
        return (System.nanoTime() - began) / 1e9;
    }
}
