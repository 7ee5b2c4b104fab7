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
            String spec = System.getProperty("rows", "1,2,3,4,6,8,16");
            for (int rows : Arrays.stream(spec.split(",")).mapToInt(r -> r.startsWith("mix") ? -Integer.parseInt(r.substring(3)) : Integer.parseInt(r)).toArray()) {
                // rows < 0: -rows tokens each routed to 8 of 128 experts (uniform), per group of 128 experts; untouched experts left out
                int[] mix = new int[experts];
                if (rows < 0) {
                    for (int g = 0; g < experts; g += 128) {
                        for (int t = 0; t < -rows; t++) {
                            List<Integer> ids = new ArrayList<>();
                            for (int e = 0; e < 128; e++) ids.add(e);
                            Collections.shuffle(ids, new Random(rnd.nextLong()));
                            for (int j = 0; j < 8; j++) if (g + ids.get(j) < experts) mix[g + ids.get(j)]++;
                        }
                    }
                }
                MemorySegment[] xs = new MemorySegment[experts], ys = new MemorySegment[experts];
                int[] bs = new int[experts];
                for (int e = 0; e < experts; e++) {
                    int r = rows < 0 ? Math.max(mix[e], 1) : rows;
                    xs[e] = arena.allocate((long) r * in * 4, 64);
                    ys[e] = arena.allocate((long) r * out * 4, 64);
                    bs[e] = rows < 0 ? mix[e] : rows;
                    for (long i = 0; i < xs[e].byteSize(); i += 4) xs[e].set(ValueLayout.JAVA_FLOAT_UNALIGNED, i, (float) rnd.nextDouble());
                }
                // touched experts only, like a decode step
                int n = 0;
                for (int e = 0; e < experts; e++) if (bs[e] > 0) { xs[n] = xs[e]; ys[n] = ys[e]; ws[n] = ws[e]; bs[n] = bs[e]; n++; }
                Weights[] wsUsed = Arrays.copyOf(ws, n);
                double best = 1e9, sum = 0;
                for (int it = 0; it < 30; it++) {
                    long t0 = System.nanoTime();
                    be.matmuls(xs, wsUsed, ys, bs, n);
                    double s = (System.nanoTime() - t0) / 1e9;
                    best = Math.min(best, s);
                    sum += s;
                }
                int rowsAll = 0;
                for (int e = 0; e < n; e++) rowsAll += bs[e];
                double bytes = (double) n * ws[0].data().byteSize();
                double flops = 2.0 * out * in * rowsAll;
                System.out.printf("rows %s: %d experts, best %.2f ms, %.1f GB/s (mean %.1f), %.1f GFLOP/s%n", rows < 0 ? "mix" + -rows : String.valueOf(rows), n, best * 1e3, bytes / best / 1e9, bytes / (sum / 30) / 1e9, flops / best / 1e9);
            }
        }
    }
}
