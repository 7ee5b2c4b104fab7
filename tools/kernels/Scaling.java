import io.podserve.kernels.*;
import io.podserve.kernels.cpu.CpuBackend;
import io.podserve.kernels.cpu.MachineLimits;
import java.lang.foreign.*;
import java.util.*;

/** Per thread count: streaming-read GB/s against the matmul's GB/s on decode shapes (bf16). */
public class Scaling {
    static Weights fill(Arena arena, int out, int in, SplittableRandom rnd) {
        Weights w = Weights.allocate(arena, WeightFormat.BF16, out, in);
        MemorySegment d = w.data();
        for (long i = 0; i < d.byteSize(); i += 8) d.set(ValueLayout.JAVA_LONG_UNALIGNED, i, 0x3c003c103c203c30L ^ (rnd.nextLong() & 0x00ff00ff00ff00ffL));
        return w;
    }
    public static void main(String[] a) throws Exception {
        Arena arena = Arena.ofAuto();
        SplittableRandom rnd = new SplittableRandom(1);
        int[] threads = Arrays.stream(a[0].split(",")).mapToInt(Integer::parseInt).toArray();
        int experts = 110;
        Weights head = fill(arena, 151936, 2048, rnd);
        Weights[] up = new Weights[experts], down = new Weights[experts];
        for (int e = 0; e < experts; e++) { up[e] = fill(arena, 768, 2048, rnd); down[e] = fill(arena, 2048, 768, rnd); }
        for (int t : threads) {
            double bw = MachineLimits.readBandwidthGBs(2L << 30, t);
            StringBuilder line = new StringBuilder(String.format("threads %2d: read %.1f GB/s", t, bw));
            try (CpuBackend be = CpuBackend.vector(t)) {
                for (int rows : new int[] {1, 3}) {
                    line.append(String.format(" | rows %d: head %.1f", rows, run(be, arena, new Weights[] {head}, rows)));
                    line.append(String.format(" up %.1f", run(be, arena, up, rows)));
                    line.append(String.format(" down %.1f", run(be, arena, down, rows)));
                }
            }
            System.out.println(line + " GB/s");
        }
    }
    static double run(CpuBackend be, Arena arena, Weights[] ws, int rows) {
        int n = ws.length;
        MemorySegment[] xs = new MemorySegment[n], ys = new MemorySegment[n];
        int[] bs = new int[n];
        double bytes = 0;
        for (int e = 0; e < n; e++) {
            xs[e] = arena.allocate((long) rows * ws[e].cols() * 4, 64);
            ys[e] = arena.allocate((long) rows * ws[e].rows() * 4, 64);
            bs[e] = rows;
            bytes += ws[e].data().byteSize();
        }
        double best = 1e9;
        for (int it = 0; it < 20; it++) {
            long t0 = System.nanoTime();
            be.matmuls(xs, ws, ys, bs, n);
            best = Math.min(best, (System.nanoTime() - t0) / 1e9);
        }
        return bytes / best / 1e9;
    }
}
