package io.podserve.kernels.cpu;

import java.lang.foreign.MemorySegment;

import static io.podserve.kernels.cpu.Simd.F32;

/**
 * The transposed x that {@link BatchLaneTile} reads: x rows in tiles of {@link BatchLaneTile#X_ROWS},
 * each tile {@code [k][X_ROWS]} over the vector part of the row ({@code k < kv}), rows past the batch
 * zero. Tile t of a matmul starts {@code t · kv · XT_K_BYTES} bytes after its first.
 *
 * <p>NOTE: x is transposed once per matmul call (in parallel, a piece of a tile per chunk), not per row chunk: a
 * chunk's 96 weight rows use each x element 96 times, 6 vector FMAs' worth, against about 2
 * operations to move it; shared by every chunk it costs nothing next to the matmul.
 */
final class BatchLanes {
    private BatchLanes() {
    }

    static int tiles(int batch) {
        return Math.ceilDiv(batch, BatchLaneTile.X_ROWS);
    }

    /** Bytes of one tile over {@code kv} elements. */
    static long tileBytes(int kv) {
        return kv * BatchLaneTile.XT_K_BYTES;
    }

    /** Bytes of the whole transposed x of a {@code batch}-row matmul over {@code kv} elements. */
    static long bytes(int batch, int kv) {
        return tiles(batch) * tileBytes(kv);
    }

    /** k elements per chunk of the transpose pass: a 32-row batch still spreads over several cores. */
    static final int PIECE_K = 256;

    /** Chunks of the transpose pass for one tile of a matmul over {@code kv} elements. */
    static int pieces(int kv) {
        return Math.ceilDiv(kv, PIECE_K);
    }

    /**
     * Writes piece {@code piece} ({@code k} in {@code [piece · PIECE_K, ..)}, below kv) of tile
     * {@code t} of x ({@code [batch, in]} f32), transposed, at {@code xt[xtAt + t · tileBytes(kv)..]}.
     */
    static void transpose(MemorySegment x, int in, int batch, int kv, int t, int piece, MemorySegment xt, long xtAt) {
        long tileAt = xtAt + t * tileBytes(kv);
        int k0 = piece * PIECE_K;
        int k1 = Math.min(kv, k0 + PIECE_K);
        for (int j = 0; j < BatchLaneTile.X_ROWS; j++) {
            int b = t * BatchLaneTile.X_ROWS + j;
            long dst = tileAt + j * 4L;
            if (b < batch) {
                long src = (long) b * in * 4;
                for (int k = k0; k < k1; k++) {
                    xt.set(F32, dst + k * BatchLaneTile.XT_K_BYTES, x.get(F32, src + k * 4L));
                }
            } else {
                for (int k = k0; k < k1; k++) {
                    xt.set(F32, dst + k * BatchLaneTile.XT_K_BYTES, 0f);
                }
            }
        }
    }
}
