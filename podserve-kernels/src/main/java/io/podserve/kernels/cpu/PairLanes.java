package io.podserve.kernels.cpu;

import java.lang.foreign.MemorySegment;

import static io.podserve.kernels.cpu.Simd.F32;
import static io.podserve.kernels.cpu.Simd.LANES;

/**
 * The x layout that the bf16 4 × 2 fused dot ({@link PanelDecode#dot4x2}) reads: each x row's vector part
 * in blocks of {@link #BLOCK} elements, each block's even elements first, then its odd ones. NOTE: so
 * that one 512-bit load of {@link #BLOCK} bf16 weights widens to two f32 vectors with one shift (the even
 * elements, whose bits are the low halves) and one mask (the odd ones) and no lane shuffle: the
 * per-16-element widening (a sign-extending shuffle and a shift) had bounded the dot with several x rows,
 * which re-widens every weight vector once per 2 x rows (bf16 4096 × 2048 at 8 x rows, one 2-core-machine
 * thread: 53-58 against 66-74 GFLOP/s). The products are the same; only their order of addition differs.
 */
final class PairLanes {
    /** Elements per block: one vector of even elements and one of odd ones. */
    static final int BLOCK = 2 * LANES;

    private PairLanes() {
    }

    /** Bytes of a {@code batch}-row x over {@code kv} elements in this layout. */
    static long bytes(int batch, int kv) {
        return (long) batch * kv * Float.BYTES;
    }

    /**
     * Writes row {@code row} of x ({@code [batch, in]} f32), over its first {@code kv} elements (a multiple
     * of {@link #BLOCK}), at {@code dst[dstAt + row · kv · 4..]} in this layout.
     */
    static void deinterleave(MemorySegment x, int in, int row, int kv, MemorySegment dst, long dstAt) {
        long src = (long) row * in * Float.BYTES;
        long out = dstAt + (long) row * kv * Float.BYTES;
        for (int b = 0; b < kv; b += BLOCK) {
            for (int j = 0; j < LANES; j++) {
                dst.set(F32, out + (b + j) * 4L, x.get(F32, src + (b + 2 * j) * 4L));
                dst.set(F32, out + (b + LANES + j) * 4L, x.get(F32, src + (b + 2 * j + 1) * 4L));
            }
        }
    }
}
