import io.podserve.kernels.attention.*;
import io.podserve.kernels.cpu.CpuBackend;
import java.lang.foreign.*;
import java.util.*;

/** Prefill paged attention of one 512-token sequence, Qwen3-30B-A3B's shape, GFLOP/s. */
public class AttnProbe {
    public static void main(String[] a) {
        int heads = 32, kvHeads = 4, dim = 128, n = Integer.getInteger("n", 512), threads = Integer.getInteger("threads", 2);
        AttentionShape shape = new AttentionShape(heads, kvHeads, dim, 0);
        Arena arena = Arena.ofAuto();
        int block = 16;
        KvCache cache = new KvCache(arena, n / block + 1, block, kvHeads, dim);
        int[] table = new int[n / block + 1];
        for (int i = 0; i < table.length; i++) table[i] = i;
        SplittableRandom rnd = new SplittableRandom(3);
        MemorySegment k = arena.allocate((long) n * kvHeads * dim * 4), v = arena.allocate((long) n * kvHeads * dim * 4);
        for (long i = 0; i < k.byteSize(); i += 4) { k.set(ValueLayout.JAVA_FLOAT_UNALIGNED, i, (float) rnd.nextGaussian()); v.set(ValueLayout.JAVA_FLOAT_UNALIGNED, i, (float) rnd.nextGaussian()); }
        int[] pos = new int[n]; int[][] tables = new int[n][];
        for (int i = 0; i < n; i++) { pos[i] = i; tables[i] = table; }
        cache.write(k, v, n, pos, tables);
        MemorySegment q = arena.allocate((long) n * heads * dim * 4), out = arena.allocate((long) n * heads * dim * 4);
        for (long i = 0; i < q.byteSize(); i += 4) q.set(ValueLayout.JAVA_FLOAT_UNALIGNED, i, (float) rnd.nextGaussian());
        double flops = 4.0 * heads * dim * (double) n * (n + 1) / 2;
        try (CpuBackend be = CpuBackend.vector(threads)) {
            for (int rep = 0; rep < 3; rep++) {
                double best = 1e9;
                for (int it = 0; it < 10; it++) {
                    long t0 = System.nanoTime();
                    be.pagedAttention(shape, cache, q, n, pos, tables, null, out);
                    best = Math.min(best, (System.nanoTime() - t0) / 1e9);
                }
                System.out.printf("n %d threads %d: %.2f ms, %.1f GFLOP/s%n", n, threads, best * 1e3, flops / best / 1e9);
            }
        }
    }
}
