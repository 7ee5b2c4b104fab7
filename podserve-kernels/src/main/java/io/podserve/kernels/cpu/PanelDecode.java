package io.podserve.kernels.cpu;

import java.lang.foreign.MemorySegment;

import io.podserve.kernels.WeightFormat;
import io.podserve.kernels.Weights;
import jdk.incubator.vector.FloatVector;

import static io.podserve.kernels.cpu.Simd.F;
import static io.podserve.kernels.cpu.Simd.LANES;
import static io.podserve.kernels.cpu.Simd.LE;

/**
 * The only per-format part of the matmul: widens a stretch of one weight row to f32 into the
 * calling thread's panel, where {@link MatmulTiles} reads it back from L1.
 *
 * <p>NOTE: decoding once into a small f32 panel, rather than widening inside every tile, is what
 * lets the four formats share one tile body: the tiles see only f32, so there is one copy of them,
 * and no vector ever crosses a call boundary between the tile loop and the decode (a vector that
 * does, when C2 declines to inline the callee, is boxed on the heap: the {@code lanewiseTemplate}
 * fallback seen in profiles). Each decode is one short self-contained loop, called once per weight
 * row per panel, so its virtual dispatch costs nothing measurable. For F32 it is a plain copy.
 */
enum PanelDecode {
    F32 {
        @Override
        void row(Weights w, int row, int k0, int kv, MemorySegment panel, long dst) {
            MemorySegment wd = w.data();
            long src = ((long) row * w.cols() + k0) * 4;
            for (int i = 0; i < kv - k0; i += LANES) {
                Simd.f32(wd, src + i * 4L).intoMemorySegment(panel, dst + i * 4L, LE);
            }
        }
    },
    BF16 {
        @Override
        void row(Weights w, int row, int k0, int kv, MemorySegment panel, long dst) {
            MemorySegment wd = w.data();
            long src = ((long) row * w.cols() + k0) * 2;
            for (int i = 0; i < kv - k0; i += LANES) {
                Simd.bf16(wd, src + i * 2L).intoMemorySegment(panel, dst + i * 4L, LE);
            }
        }
    },
    F16 {
        @Override
        void row(Weights w, int row, int k0, int kv, MemorySegment panel, long dst) {
            MemorySegment wd = w.data();
            long src = ((long) row * w.cols() + k0) * 2;
            for (int i = 0; i < kv - k0; i += LANES) {
                Simd.f16(wd, src + i * 2L).intoMemorySegment(panel, dst + i * 4L, LE);
            }
        }
    },
    Q8 {
        /** k0 and kv are multiples of the Q8 block, and a block is whole vectors (LANES divides 32). */
        @Override
        void row(Weights w, int row, int k0, int kv, MemorySegment panel, long dst) {
            MemorySegment wd = w.data();
            long src = (long) row * w.cols();
            long scales = io.podserve.kernels.Q8.scaleOffset(w, row, 0);
            for (int i = k0; i < kv; i += LANES) {
                float scale = wd.get(Simd.F32, scales + (i / io.podserve.kernels.Q8.BLOCK_SIZE) * 4L);
                Simd.q8(wd, src + i).mul(FloatVector.broadcast(F, scale))
                        .intoMemorySegment(panel, dst + (i - k0) * 4L, LE);
            }
        }
    };

    static PanelDecode of(WeightFormat format) {
        return switch (format) {
            case F32 -> F32;
            case BF16 -> BF16;
            case F16 -> F16;
            case Q8 -> Q8;
        };
    }

    /**
     * Writes {@code W[row][k0..kv)} widened to f32 at {@code panel[dst..]}; {@code kv - k0} is a
     * multiple of {@link MatmulKernel#STEP} and {@code k0} of the Q8 block.
     */
    abstract void row(Weights w, int row, int k0, int kv, MemorySegment panel, long dst);
}
