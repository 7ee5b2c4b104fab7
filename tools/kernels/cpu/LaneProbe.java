package io.podserve.kernels.cpu;

import io.podserve.kernels.*;
import java.lang.foreign.*;
import java.util.*;
import jdk.incubator.vector.FloatVector;

import static io.podserve.kernels.cpu.Simd.F;
import static io.podserve.kernels.cpu.Simd.LE;

/**
 * One thread through the batch-lane matmul path ({@code MatmulKernel.rowsBatchLanes}) against its register
 * tile alone over a panel that never changes (the kernel's ceiling) and its panel decode alone. In the kernels'
 * package, for their package-private parts: compile it with tools/kernels (see README). -Dout, -Din, -Dbatch,
 * -Dfmt. With -Dexperiments=true (bf16, batch 32) also: the matmul's decode and tile timed apart (they add up:
 * the decode's DRAM misses stall the core), and a tile that decodes its 8 weight rows 16 k at a time inside
 * its k loop (slower than decode-then-tile). Two more experiments of the same session, whose code is in
 * commit a5ff807's FusedLaneProbe: the tile with x from a float[] (slower) and with a parameter panel stride
 * (slower than the constant BatchLaneTile.P_ROW).
 */
public class LaneProbe {
    static final long VB = 64;

    static void fused(MemorySegment wd, long w0, long wRow, MemorySegment xt, long xtAt, float[] small, int n,
            MemorySegment sums, long acc) {
        FloatVector a00 = FloatVector.fromMemorySegment(F, sums, acc + 0 * VB, LE);
        FloatVector a01 = FloatVector.fromMemorySegment(F, sums, acc + 1 * VB, LE);
        FloatVector a02 = FloatVector.fromMemorySegment(F, sums, acc + 2 * VB, LE);
        FloatVector a03 = FloatVector.fromMemorySegment(F, sums, acc + 3 * VB, LE);
        FloatVector a04 = FloatVector.fromMemorySegment(F, sums, acc + 4 * VB, LE);
        FloatVector a05 = FloatVector.fromMemorySegment(F, sums, acc + 5 * VB, LE);
        FloatVector a06 = FloatVector.fromMemorySegment(F, sums, acc + 6 * VB, LE);
        FloatVector a07 = FloatVector.fromMemorySegment(F, sums, acc + 7 * VB, LE);
        FloatVector a10 = FloatVector.fromMemorySegment(F, sums, acc + 8 * VB, LE);
        FloatVector a11 = FloatVector.fromMemorySegment(F, sums, acc + 9 * VB, LE);
        FloatVector a12 = FloatVector.fromMemorySegment(F, sums, acc + 10 * VB, LE);
        FloatVector a13 = FloatVector.fromMemorySegment(F, sums, acc + 11 * VB, LE);
        FloatVector a14 = FloatVector.fromMemorySegment(F, sums, acc + 12 * VB, LE);
        FloatVector a15 = FloatVector.fromMemorySegment(F, sums, acc + 13 * VB, LE);
        FloatVector a16 = FloatVector.fromMemorySegment(F, sums, acc + 14 * VB, LE);
        FloatVector a17 = FloatVector.fromMemorySegment(F, sums, acc + 15 * VB, LE);
        for (int k0 = 0; k0 < n; k0 += 16) {
            long wa = w0 + k0 * 2L;
            Simd.bf16(wd, wa).intoArray(small, 0);
            Simd.bf16(wd, wa + wRow).intoArray(small, 16);
            Simd.bf16(wd, wa + 2 * wRow).intoArray(small, 32);
            Simd.bf16(wd, wa + 3 * wRow).intoArray(small, 48);
            Simd.bf16(wd, wa + 4 * wRow).intoArray(small, 64);
            Simd.bf16(wd, wa + 5 * wRow).intoArray(small, 80);
            Simd.bf16(wd, wa + 6 * wRow).intoArray(small, 96);
            Simd.bf16(wd, wa + 7 * wRow).intoArray(small, 112);
            for (int kk = 0; kk < 16; kk++) {
                long u = xtAt + (k0 + kk) * 128L;
                FloatVector u0 = FloatVector.fromMemorySegment(F, xt, u, LE);
                FloatVector u1 = FloatVector.fromMemorySegment(F, xt, u + VB, LE);
                FloatVector v = FloatVector.broadcast(F, small[kk]);
                a00 = u0.fma(v, a00);
                a10 = u1.fma(v, a10);
                v = FloatVector.broadcast(F, small[kk + 16]);
                a01 = u0.fma(v, a01);
                a11 = u1.fma(v, a11);
                v = FloatVector.broadcast(F, small[kk + 32]);
                a02 = u0.fma(v, a02);
                a12 = u1.fma(v, a12);
                v = FloatVector.broadcast(F, small[kk + 48]);
                a03 = u0.fma(v, a03);
                a13 = u1.fma(v, a13);
                v = FloatVector.broadcast(F, small[kk + 64]);
                a04 = u0.fma(v, a04);
                a14 = u1.fma(v, a14);
                v = FloatVector.broadcast(F, small[kk + 80]);
                a05 = u0.fma(v, a05);
                a15 = u1.fma(v, a15);
                v = FloatVector.broadcast(F, small[kk + 96]);
                a06 = u0.fma(v, a06);
                a16 = u1.fma(v, a16);
                v = FloatVector.broadcast(F, small[kk + 112]);
                a07 = u0.fma(v, a07);
                a17 = u1.fma(v, a17);
            }
        }
        a00.intoMemorySegment(sums, acc + 0 * VB, LE);
        a01.intoMemorySegment(sums, acc + 1 * VB, LE);
        a02.intoMemorySegment(sums, acc + 2 * VB, LE);
        a03.intoMemorySegment(sums, acc + 3 * VB, LE);
        a04.intoMemorySegment(sums, acc + 4 * VB, LE);
        a05.intoMemorySegment(sums, acc + 5 * VB, LE);
        a06.intoMemorySegment(sums, acc + 6 * VB, LE);
        a07.intoMemorySegment(sums, acc + 7 * VB, LE);
        a10.intoMemorySegment(sums, acc + 8 * VB, LE);
        a11.intoMemorySegment(sums, acc + 9 * VB, LE);
        a12.intoMemorySegment(sums, acc + 10 * VB, LE);
        a13.intoMemorySegment(sums, acc + 11 * VB, LE);
        a14.intoMemorySegment(sums, acc + 12 * VB, LE);
        a15.intoMemorySegment(sums, acc + 13 * VB, LE);
        a16.intoMemorySegment(sums, acc + 14 * VB, LE);
        a17.intoMemorySegment(sums, acc + 15 * VB, LE);
    }

    /** The two -Dexperiments runs over weights w (bf16, batch 32, x transposed in xt). */
    static void experiments(Weights w, MemorySegment xt, MemorySegment scratch, float[] floats, int out, int kv) {
        MemorySegment d = w.data();
        long wRow = kv * 2L;
        float[] small = new float[128];
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
        double bestF = 1e9;
        for (int it = 0; it < 5; it++) {
            long t0 = System.nanoTime();
            for (int o = 0; o < out; o += 8) {
                for (int k0 = 0; k0 < kv; k0 += 256) {
                    fused(d, (long) o * wRow + k0 * 2L, wRow, xt, k0 * 128L, small, Math.min(256, kv - k0), scratch, 0);
                }
            }
            bestF = Math.min(bestF, (System.nanoTime() - t0) / 1e9);
        }
        double flops = 2.0 * out * kv * 32;
        System.out.printf("  decode and tile timed apart: %.2f ms = decode %.2f + tile %.2f | decode fused into the tile (no y writes): %.2f ms, %.1f GFLOP/s%n",
                tAll / 1e6, tDec / 1e6, tTile / 1e6, bestF * 1e3, flops / bestF / 1e9);
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
        for (int t = 0; t < BatchLanes.tiles(batch); t++) for (int p = 0; p < BatchLanes.pieces(kv); p++) BatchLanes.transpose(x, in, batch, kv, t, p, xt, 0);
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
