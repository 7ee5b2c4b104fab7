import io.podserve.kernels.*;
import io.podserve.kernels.cpu.CpuBackend;
import java.lang.foreign.*;
import java.util.*;

/** Effective GB/s of grouped expert matmuls with r rows each, like a decode step's experts. */
public class FewRows {
    public static void main(String[] a) {
        int experts = Integer.parseInt(a.length > 0 ? a[0] : "110");
        int out = Integer.getInteger("out", 768), in = Integer.getInteger("in", 2048);
        Arena arena = Arena.ofAuto();
        Weights[] ws = new Weights[experts];
        SplittableRandom rnd = new SplittableRandom(1);
        for (int e = 0; e < experts; e++) {
            ws[e] = Weights.allocate(arena, WeightFormat.valueOf(System.getProperty("fmt", "BF16")), out, in);
            MemorySegment d = ws[e].data();
            if (ws[e].format() != WeightFormat.F32) for (long i = 0; i < d.byteSize(); i += 2) d.set(ValueLayout.JAVA_SHORT_UNALIGNED, i, (short) (0x3c00 + rnd.nextInt(0x300)));
            if (Boolean.getBoolean("q8")) ws[e] = Q8.quantize(ws[e], arena);
        }
        try (CpuBackend be = CpuBackend.create()) {
            for (int rows : Arrays.stream(System.getProperty("rows", "1,2,3,4,6,8,16").split(",")).mapToInt(Integer::parseInt).toArray()) {
                MemorySegment[] xs = new MemorySegment[experts], ys = new MemorySegment[experts];
                int[] bs = new int[experts];
                for (int e = 0; e < experts; e++) {
                    xs[e] = arena.allocate((long) rows * in * 4, 64);
                    ys[e] = arena.allocate((long) rows * out * 4, 64);
                    bs[e] = rows;
                    for (long i = 0; i < xs[e].byteSize(); i += 4) xs[e].set(ValueLayout.JAVA_FLOAT_UNALIGNED, i, (float) rnd.nextDouble());
                }
                double best = 1e9;
                for (int it = 0; it < 30; it++) {
                    long t0 = System.nanoTime();
                    be.matmuls(xs, ws, ys, bs, experts);
                    best = Math.min(best, (System.nanoTime() - t0) / 1e9);
                }
                double bytes = (double) experts * ws[0].data().byteSize();
                double flops = 2.0 * experts * out * in * rows;
                System.out.printf("rows %3d: %.2f ms, %.1f GB/s, %.1f GFLOP/s%n", rows, best * 1e3, bytes / best / 1e9, flops / best / 1e9);
            }
        }
    }
}
