package io.podserve.kernels.cpu;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.Random;

import io.podserve.kernels.WeightFormat;
import io.podserve.kernels.Weights;

/** Seeded random tensors for the kernel tests. */
final class TestData {
    private TestData() {
    }

    /** f32 segment of {@code n} standard-normal values (times {@code scale}). */
    static MemorySegment floats(Arena arena, Random random, int n, float scale) {
        MemorySegment s = arena.allocate((long) Math.max(n, 1) * 4, 64);
        for (int i = 0; i < n; i++) {
            s.set(Simd.F32, i * 4L, (float) random.nextGaussian() * scale);
        }
        return s;
    }

    static float get(MemorySegment s, long i) {
        return s.get(Simd.F32, i * 4);
    }

    static MemorySegment copy(Arena arena, MemorySegment s) {
        MemorySegment c = arena.allocate(s.byteSize(), 64);
        c.copyFrom(s);
        return c;
    }

    /** Random {@code rows × cols} weights in {@code format} (Q8 quantized from random f32). */
    static Weights weights(Arena arena, Random random, WeightFormat format, int rows, int cols) {
        if (format == WeightFormat.Q8) {
            return io.podserve.kernels.Q8.quantize(weights(arena, random, WeightFormat.F32, rows, cols), arena);
        }
        Weights w = Weights.allocate(arena, format, rows, cols);
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                w.set(r, c, (float) random.nextGaussian() * 0.1f);
            }
        }
        return w;
    }
}
