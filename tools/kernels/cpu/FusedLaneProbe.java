package io.podserve.kernels.cpu;

import io.podserve.kernels.*;
import java.lang.foreign.*;
import java.util.*;
import jdk.incubator.vector.FloatVector;

import static io.podserve.kernels.cpu.Simd.F;
import static io.podserve.kernels.cpu.Simd.LE;

/**
 * Experiments on the batch-lane path, one 2-core-machine thread, bf16, batch 32 (-Dout, -Din, -Dkb): the tile decoding its
 * 8 weight rows 16 k at a time inside its k loop (slower than decode-then-tile: the decode's misses stall the core either
 * way); the tile with a constant panel row stride against BatchLaneTile's; the tile reading x from a float[] (slower); and
 * the matmul's decode and tile timed apart (they do not overlap: decode time is DRAM time).
 */
public class FusedLaneProbe {
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

    static final int PR = 256;
    static void tileC(MemorySegment xt, long xtAt, float[] panel, int pAt, int n,
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
        for (int k = 0; k < n; k++) {
            long u = xtAt + k * 128L;
            int p = pAt + k;
            FloatVector u0 = FloatVector.fromMemorySegment(F, xt, u, LE);
            FloatVector u1 = FloatVector.fromMemorySegment(F, xt, u + VB, LE);
            FloatVector v = FloatVector.broadcast(F, panel[p]);
            a00 = u0.fma(v, a00);
            a10 = u1.fma(v, a10);
            v = FloatVector.broadcast(F, panel[p + PR]);
            a01 = u0.fma(v, a01);
            a11 = u1.fma(v, a11);
            v = FloatVector.broadcast(F, panel[p + 2 * PR]);
            a02 = u0.fma(v, a02);
            a12 = u1.fma(v, a12);
            v = FloatVector.broadcast(F, panel[p + 3 * PR]);
            a03 = u0.fma(v, a03);
            a13 = u1.fma(v, a13);
            v = FloatVector.broadcast(F, panel[p + 4 * PR]);
            a04 = u0.fma(v, a04);
            a14 = u1.fma(v, a14);
            v = FloatVector.broadcast(F, panel[p + 5 * PR]);
            a05 = u0.fma(v, a05);
            a15 = u1.fma(v, a15);
            v = FloatVector.broadcast(F, panel[p + 6 * PR]);
            a06 = u0.fma(v, a06);
            a16 = u1.fma(v, a16);
            v = FloatVector.broadcast(F, panel[p + 7 * PR]);
            a07 = u0.fma(v, a07);
            a17 = u1.fma(v, a17);
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


    static void tileA(float[] xt, int xtAt, float[] panel, int pAt, int n,
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
        for (int k = 0; k < n; k++) {
            int u = xtAt + k * 32;
            int p = pAt + k;
            FloatVector u0 = FloatVector.fromArray(F, xt, u);
            FloatVector u1 = FloatVector.fromArray(F, xt, u + Simd.LANES);
            FloatVector v = FloatVector.broadcast(F, panel[p]);
            a00 = u0.fma(v, a00);
            a10 = u1.fma(v, a10);
            v = FloatVector.broadcast(F, panel[p + 256]);
            a01 = u0.fma(v, a01);
            a11 = u1.fma(v, a11);
            v = FloatVector.broadcast(F, panel[p + 2 * 256]);
            a02 = u0.fma(v, a02);
            a12 = u1.fma(v, a12);
            v = FloatVector.broadcast(F, panel[p + 3 * 256]);
            a03 = u0.fma(v, a03);
            a13 = u1.fma(v, a13);
            v = FloatVector.broadcast(F, panel[p + 4 * 256]);
            a04 = u0.fma(v, a04);
            a14 = u1.fma(v, a14);
            v = FloatVector.broadcast(F, panel[p + 5 * 256]);
            a05 = u0.fma(v, a05);
            a15 = u1.fma(v, a15);
            v = FloatVector.broadcast(F, panel[p + 6 * 256]);
            a06 = u0.fma(v, a06);
            a16 = u1.fma(v, a16);
            v = FloatVector.broadcast(F, panel[p + 7 * 256]);
            a07 = u0.fma(v, a07);
            a17 = u1.fma(v, a17);
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


    public static void main(String[] a) {
        int out = Integer.getInteger("out", 151936), in = Integer.getInteger("in", 2048), batch = 32;
        int kb = Integer.getInteger("kb", 256);
        Arena arena = Arena.ofAuto();
        SplittableRandom rnd = new SplittableRandom(1);
        Weights w = Weights.allocate(arena, WeightFormat.BF16, out, in);
        MemorySegment d = w.data();
        for (long i = 0; i + 8 <= d.byteSize(); i += 8) d.set(ValueLayout.JAVA_LONG_UNALIGNED, i, 0x3c003c103c203c30L ^ (rnd.nextLong() & 0x007f007f007f007fL));
        MemorySegment x = arena.allocate((long) batch * in * 4, 64), y = arena.allocate((long) batch * out * 4, 64);
        for (long i = 0; i < x.byteSize(); i += 4) x.set(ValueLayout.JAVA_FLOAT_UNALIGNED, i, (float) rnd.nextDouble());
        int kv = in;
        MemorySegment xt = arena.allocate(BatchLanes.bytes(batch, kv), 64);
        for (int p = 0; p < BatchLanes.pieces(kv); p++) BatchLanes.transpose(x, in, batch, kv, 0, p, xt, 0);
        MemorySegment scratch = arena.allocate(MatmulKernel.SCRATCH_BYTES, 64);
        float[] floats = new float[MatmulKernel.FLOAT_SCRATCH];
        float[] small = new float[128];
        MatmulKernel k = MatmulKernel.of(w.format());
        double flops = 2.0 * out * in * batch;
        long wRow = in * 2L;
        for (int rep = 0; rep < 3; rep++) {
            double best = 1e9, bestF = 1e9;
            for (int it = 0; it < 5; it++) {
                long t0 = System.nanoTime();
                k.rowsBatchLanes(x, xt, 0, w, y, batch, 0, out, scratch, floats);
                best = Math.min(best, (System.nanoTime() - t0) / 1e9);
            }
            for (int it = 0; it < 5; it++) {
                long t0 = System.nanoTime();
                for (int o = 0; o < out; o += 8) {
                    for (int k0 = 0; k0 < kv; k0 += kb) {
                        fused(d, (long) o * wRow + k0 * 2L, wRow, xt, k0 * 128L, small, Math.min(kb, kv - k0), scratch, 0);
                    }
                }
                bestF = Math.min(bestF, (System.nanoTime() - t0) / 1e9);
            }
            PanelDecode pd = PanelDecode.of(w.format());
            long tDec = 0, tTile = 0;
            long t00 = System.nanoTime();
            for (int o = 0; o < out; o += 8) {
                for (int k0 = 0; k0 < kv; k0 += 256) {
                    long ta = System.nanoTime();
                    pd.rows(w, o, 8, k0, k0 + 256, floats, 0, 256);
                    long tb = System.nanoTime();
                    BatchLaneTile.tile(xt, k0 * 128L, floats, 0, 256, scratch, 0);
                    long tc = System.nanoTime();
                    tDec += tb - ta;
                    tTile += tc - tb;
                }
            }
            long tAll = System.nanoTime() - t00;
            double bestC = 1e9, bestT = 1e9;
            for (int it = 0; it < 5; it++) {
                long t0 = System.nanoTime();
                for (int o = 0; o < 8192; o += 8) for (int k0 = 0; k0 < kv; k0 += 256) tileC(xt, k0 * 128L, floats, 0, 256, scratch, 0);
                bestC = Math.min(bestC, (System.nanoTime() - t0) / 1e9);
                t0 = System.nanoTime();
                for (int o = 0; o < 8192; o += 8) for (int k0 = 0; k0 < kv; k0 += 256) BatchLaneTile.tile(xt, k0 * 128L, floats, 0, 256, scratch, 0);
                bestT = Math.min(bestT, (System.nanoTime() - t0) / 1e9);
            }
            double fl = 2.0 * 8192 * kv * 32;
            float[] xa = new float[32 * kv];
            for (int i = 0; i < xa.length; i++) xa[i] = xt.getAtIndex(ValueLayout.JAVA_FLOAT, i);
            double bestA = 1e9;
            for (int it = 0; it < 5; it++) {
                long t0 = System.nanoTime();
                for (int o = 0; o < 8192; o += 8) for (int k0 = 0; k0 < kv; k0 += 256) tileA(xa, k0 * 32, floats, 0, 256, scratch, 0);
                bestA = Math.min(bestA, (System.nanoTime() - t0) / 1e9);
            }
            System.out.printf("tile with x in a float[]: %.1f GFLOP/s%n", fl / bestA / 1e9);
            System.out.printf("tile alone (8192 rows): BatchLaneTile.tile %.1f GFLOP/s, local copy %.1f GFLOP/s%n", fl / bestT / 1e9, fl / bestC / 1e9);
            System.out.printf("timed loop %.2f ms: decode %.2f ms, tile %.2f ms%n", tAll / 1e6, tDec / 1e6, tTile / 1e6);
            System.out.printf("out %d: matmul %.2f ms %.1f GFLOP/s | fused tile (kb %d, no flush) %.2f ms %.1f GFLOP/s%n", out, best * 1e3, flops / best / 1e9, kb, bestF * 1e3, flops / bestF / 1e9);
        }
    }
}
