package io.podserve.kernels.cpu;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.Random;

import io.podserve.kernels.Q8;
import io.podserve.kernels.WeightFormat;
import io.podserve.kernels.Weights;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Q8 quantization error and Q8 matmul against f32 matmul of the unquantized weights.
 *
 * <p>Bound asserted: each dequantized weight is within {@code scale/2} of the original (round to
 * nearest of {@code w·127/max}, plus an f32 rounding or two: we allow {@code scale · (0.5 + 2⁻¹⁶)}).
 * A dot product therefore errs by at most {@code Σ_i |x_i| · scale(block of i) · (0.5 + 2⁻¹⁶)},
 * plus the f32 summation error of the two matmuls ({@code 2 · in · 2⁻²⁴ · Σ|x_i·w_i|}, w the
 * larger of original and dequantized).
 */
class Q8Test {
    @Test
    void everyElementWithinHalfAScale() {
        Random random = new Random(11);
        try (Arena arena = Arena.ofShared()) {
            for (WeightFormat source : new WeightFormat[] {WeightFormat.F32, WeightFormat.BF16, WeightFormat.F16}) {
                Weights w = TestData.weights(arena, random, source, 7, 75); // 75 = two blocks and a partial one
                Weights q = Q8.quantize(w, arena);
                assertEquals(WeightFormat.Q8, q.format());
                for (int r = 0; r < 7; r++) {
                    for (int c = 0; c < 75; c++) {
                        float scale = scale(q, r, c / Q8.BLOCK_SIZE);
                        assertTrue(Math.abs(q.get(r, c) - w.get(r, c)) <= scale * (0.5 + 0x1p-16),
                                source + " [" + r + "," + c + "]");
                    }
                }
            }
        }
    }

    @Test
    void scaleIsMaxAbsOver127AndZeroBlocksStayZero() {
        try (Arena arena = Arena.ofShared()) {
            Weights w = Weights.allocate(arena, WeightFormat.F32, 1, 40);
            w.set(0, 3, -2.54f);
            w.set(0, 7, 1.0f);
            Weights q = Q8.quantize(w, arena);
            assertEquals(2.54f / 127f, scale(q, 0, 0));
            assertEquals(-127, q.data().get(Simd.I8, 3));
            assertEquals(0f, scale(q, 0, 1));
            for (int c = 32; c < 40; c++) {
                assertEquals(0f, q.get(0, c));
            }
            assertEquals(40 + 2 * 4, q.data().byteSize()); // 40 quants, 2 scales (one for a partial block)
        }
    }

    @Test
    void q8MatmulWithinQuantizationBoundOfF32() {
        Random random = new Random(5);
        int[][] shapes = {{9, 31}, {33, 96}, {10, 1100}};
        try (Arena arena = Arena.ofShared(); CpuBackend backend = CpuBackend.vector(2)) {
            for (int[] shape : shapes) {
                Weights f32 = TestData.weights(arena, random, WeightFormat.F32, shape[0], shape[1]);
                Weights q8 = Q8.quantize(f32, arena);
                for (int batch : new int[] {1, 2, 3, 5, 17}) {
                    MemorySegment x = TestData.floats(arena, random, batch * shape[1], 1f);
                    MemorySegment exact = arena.allocate((long) batch * shape[0] * 4);
                    MemorySegment quantized = arena.allocate((long) batch * shape[0] * 4);
                    backend.matmul(x, f32, exact, batch);
                    backend.matmul(x, q8, quantized, batch);
                    assertWithinBound(x, f32, q8, exact, quantized, batch);
                }
            }
        }
    }

    private static void assertWithinBound(MemorySegment x, Weights f32, Weights q8, MemorySegment exact,
            MemorySegment quantized, int batch) {
        int in = f32.cols();
        for (int b = 0; b < batch; b++) {
            for (int o = 0; o < f32.rows(); o++) {
                double quantization = 0;
                double magnitude = 0;
                for (int i = 0; i < in; i++) {
                    double xi = Math.abs(TestData.get(x, (long) b * in + i));
                    quantization += xi * scale(q8, o, i / Q8.BLOCK_SIZE) * (0.5 + 0x1p-16);
                    magnitude += xi * Math.max(Math.abs(f32.get(o, i)), Math.abs(q8.get(o, i)));
                }
                double bound = quantization + 2 * in * 0x1p-24 * magnitude;
                float e = TestData.get(exact, (long) b * f32.rows() + o);
                float q = TestData.get(quantized, (long) b * f32.rows() + o);
                assertTrue(Math.abs(e - q) <= bound, f32.rows() + "×" + in + " batch " + batch + " y[" + b + "][" + o
                        + "]: f32 " + e + ", q8 " + q + ", bound " + bound);
            }
        }
    }

    private static float scale(Weights q8, int row, int block) {
        return q8.data().get(Simd.F32, Q8.scaleOffset(q8, row, block));
    }
}
