package io.podserve.kernels.cpu;

import io.podserve.kernels.*;
import java.lang.foreign.*;
import java.util.*;

/**
 * One thread through the batch-lane matmul path ({@code MatmulKernel.rowsBatchLanes}) against its register
 * tile alone over a panel that never changes (the kernel's ceiling) and its panel decode alone. In the kernels'
 * package, for their package-private parts: compile it with tools/kernels (see README). -Dout, -Din, -Dbatch,
 * -Dfmt. With -Dexperiments=true (bf16, batch 32) also the matmul's decode and tile timed apart (they add up:
 * the decode's DRAM misses stall the core). The same session's other experiments are in commit a5ff807's
 * FusedLaneProbe: a tile decoding its weight rows inside its k loop, one reading x from a float[], and one with
 * a parameter panel stride (all slower).
 */
public class LaneProbe {

    /** The -Dexperiments run over weights w (bf16, batch 32, x transposed in xt): decode and tile timed apart. */
    static void experiments(Weights w, MemorySegment xt, MemorySegment scratch, float[] floats, int out, int kv) {
        PanelDecode pd = PanelDecode.of(w.format());
        long tDec = 0, tTile = 0;
        long t00 = System.nanoTime();
        for (int o = 0; o < out; o += 8) {
            for (int k0 = 0; k0 < kv; k0 += 256) {
                long ta = System.nanoTime();
                pd.rows(w, o, 8, k0, k0 + 256, floats, 0, 256);
                long tb = System.nanoTime();
                BatchLaneTile.tile(xt, k0 * 128L, floats, 0, 256, scratch, 0);
                tDec += tb - ta;
                tTile += System.nanoTime() - tb;
            }
        }
        long tAll = System.nanoTime() - t00;
        System.out.printf("  decode and tile timed apart: %.2f ms = decode %.2f + tile %.2f%n", tAll / 1e6, tDec / 1e6, tTile / 1e6);
    }

    public static void main(String[] a) {
        int out = Integer.getInteger("out", 8192), in = Integer.getInteger("in", 2048), batch = Integer.getInteger("batch", 32);
        Arena arena = Arena.ofAuto();
        SplittableRandom rnd = new SplittableRandom(1);
        Weights w = Weights.allocate(arena, WeightFormat.valueOf(System.getProperty("fmt", "BF16")), out, in);
        MemorySegment d = w.data();
        for (long i = 0; i + 8 <= d.byteSize(); i += 8) d.set(ValueLayout.JAVA_LONG_UNALIGNED, i, 0x3c003c103c203c30L ^ (rnd.nextLong() & 0x007f007f007f007fL));
        MemorySegment x = arena.allocate((long) batch * in * 4, 64), y = arena.allocate((long) batch * out * 4, 64);
        for (long i = 0; i < x.byteSize(); i += 4) x.set(ValueLayout.JAVA_FLOAT_UNALIGNED, i, (float) rnd.nextDouble());
        int kv = in;
        MemorySegment xt = arena.allocate(BatchLanes.bytes(batch, kv), 64);
        for (int t = 0; t < BatchLanes.tiles(batch); t++) for (int p = 0; p < BatchLanes.pieces(kv); p++) BatchLanes.transpose(x, in, batch, kv, t, p, xt, 0, new float[BatchLanes.SCRATCH_FLOATS]);
        MemorySegment scratch = arena.allocate(MatmulKernel.SCRATCH_BYTES, 64);
        float[] floats = new float[MatmulKernel.FLOAT_SCRATCH];
        MatmulKernel k = MatmulKernel.of(w.format());
        double flops = 2.0 * out * in * batch;
        for (int rep = 0; rep < 3; rep++) {
            double best = 1e9;
            for (int it = 0; it < 15; it++) {
                long t0 = System.nanoTime();
                k.rowsBatchLanes(x, xt, 0, w, y, batch, 0, out, scratch, floats);
                best = Math.min(best, (System.nanoTime() - t0) / 1e9);
            }
            // tile only: same panel every time
            double bestTile = 1e9;
            int tiles = BatchLanes.tiles(batch);
            for (int it = 0; it < 15; it++) {
                long t0 = System.nanoTime();
                for (int o = 0; o < out; o += 8) for (int k0 = 0; k0 < kv; k0 += MatmulKernel.K_BLOCK_LANES)
                    for (int t = 0; t < tiles; t++) BatchLaneTile.tile(xt, t * BatchLanes.tileBytes(kv) + k0 * BatchLaneTile.XT_K_BYTES, floats, 0, MatmulKernel.K_BLOCK_LANES, scratch, t * BatchLaneTile.ACC_BYTES);
                bestTile = Math.min(bestTile, (System.nanoTime() - t0) / 1e9);
            }
            // panel decode only, in the matmul's order
            double bestDecode = 1e9;
            PanelDecode pd = PanelDecode.of(w.format());
            for (int it = 0; it < 15; it++) {
                long t0 = System.nanoTime();
                for (int o = 0; o < out; o += 8) for (int k0 = 0; k0 < kv; k0 += MatmulKernel.K_BLOCK_LANES)
                    pd.rows(w, o, 8, k0, Math.min(kv, k0 + MatmulKernel.K_BLOCK_LANES), floats, 0, MatmulKernel.K_BLOCK_LANES);
                bestDecode = Math.min(bestDecode, (System.nanoTime() - t0) / 1e9);
            }
            int kbD = Integer.getInteger("kbDecode", 2048);
            float[] big = new float[8 * kbD];
            double bestDecodeRow = 1e9;
            for (int it = 0; it < 15; it++) {
                long t0 = System.nanoTime();
                for (int o = 0; o < out; o += 8) for (int k0 = 0; k0 < kv; k0 += kbD)
                    pd.rows(w, o, 8, k0, Math.min(kv, k0 + kbD), big, 0, kbD);
                bestDecodeRow = Math.min(bestDecodeRow, (System.nanoTime() - t0) / 1e9);
            }
            System.out.printf("decode in k-blocks of %d: %.2f ms (%.1f GB/s)%n", kbD, bestDecodeRow * 1e3, w.data().byteSize() / bestDecodeRow / 1e9);
            if (Boolean.getBoolean("experiments") && batch == 32 && w.format() == WeightFormat.BF16) experiments(w, xt, scratch, floats, out, kv);
            System.out.printf("out %d in %d batch %d: matmul %.2f ms %.1f GFLOP/s | tile only %.1f GFLOP/s (%.2f ms) | decode only %.2f ms (%.1f GB/s)%n", out, in, batch, best * 1e3, flops / best / 1e9, flops / bestTile / 1e9, bestTile * 1e3, bestDecode * 1e3, w.data().byteSize() / bestDecode / 1e9);
        }
    }
}
