package io.podserve.kernels.cpu;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.Random;

import io.podserve.kernels.WeightFormat;
import io.podserve.kernels.Weights;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Element-wise and row operations: vector path against scalar reference over sizes with tails,
 * and the reference against the formula evaluated in f64.
 */
class OpsTest {
    private static final int[] SIZES = {1, 7, 16, 17, 100, 1000};
    private static CpuBackend vector;
    private static CpuBackend scalar;

    @BeforeAll
    static void start() {
        vector = CpuBackend.vector(2);
        scalar = CpuBackend.scalar();
    }

    @AfterAll
    static void stop() {
        vector.close();
        scalar.close();
    }

    @Test
    void addScaleAddScaledAreBitIdentical() {
        Random random = new Random(1);
        try (Arena arena = Arena.ofShared()) {
            for (int n : SIZES) {
                MemorySegment a = TestData.floats(arena, random, n, 1f);
                MemorySegment b = TestData.floats(arena, random, n, 1f);
                MemorySegment v = arena.allocate(n * 4L);
                MemorySegment s = arena.allocate(n * 4L);
                vector.add(a, b, v, n);
                scalar.add(a, b, s, n);
                assertEquals(-1, v.mismatch(s), "add " + n);
                vector.scale(a, 0.37f, v, n);
                scalar.scale(a, 0.37f, s, n);
                assertEquals(-1, v.mismatch(s), "scale " + n);
                v.copyFrom(a);
                s.copyFrom(a);
                vector.addScaled(v, b, -1.3f, n);
                scalar.addScaled(s, b, -1.3f, n);
                assertEquals(-1, v.mismatch(s), "addScaled " + n);
                assertEquals(TestData.get(a, n - 1) - 1.3f * TestData.get(b, n - 1), TestData.get(s, n - 1));
            }
        }
    }

    @Test
    void residualAddInPlace() {
        try (Arena arena = Arena.ofShared()) {
            MemorySegment residual = TestData.floats(arena, new Random(2), 33, 1f);
            MemorySegment before = TestData.copy(arena, residual);
            MemorySegment delta = TestData.floats(arena, new Random(3), 33, 1f);
            vector.add(residual, delta, residual, 33);
            for (int i = 0; i < 33; i++) {
                assertEquals(TestData.get(before, i) + TestData.get(delta, i), TestData.get(residual, i));
            }
        }
    }

    @Test
    void activationsMatchReferenceAndFormula() {
        Random random = new Random(4);
        try (Arena arena = Arena.ofShared()) {
            for (int n : SIZES) {
                MemorySegment gate = TestData.floats(arena, random, n, 6f); // reaches the clamp at 7
                MemorySegment up = TestData.floats(arena, random, n, 6f);
                MemorySegment v = arena.allocate(n * 4L);
                MemorySegment s = arena.allocate(n * 4L);
                vector.silu(gate, v, n);
                scalar.silu(gate, s, n);
                for (int i = 0; i < n; i++) {
                    double g = TestData.get(gate, i);
                    assertNear(g / (1 + Math.exp(-g)), TestData.get(s, i), "silu ref");
                    assertNear(TestData.get(s, i), TestData.get(v, i), "silu " + n);
                }
                vector.swiglu(gate, up, v, n);
                scalar.swiglu(gate, up, s, n);
                for (int i = 0; i < n; i++) {
                    double g = TestData.get(gate, i);
                    assertNear(g / (1 + Math.exp(-g)) * TestData.get(up, i), TestData.get(s, i), "swiglu ref");
                    assertNear(TestData.get(s, i), TestData.get(v, i), "swiglu " + n);
                }
                vector.swigluClamped(gate, up, v, n, 1.702f, 7f);
                scalar.swigluClamped(gate, up, s, n, 1.702f, 7f);
                for (int i = 0; i < n; i++) {
                    assertNear(gptOss(TestData.get(gate, i), TestData.get(up, i)), TestData.get(s, i), "clamped ref");
                    assertNear(TestData.get(s, i), TestData.get(v, i), "clamped " + n);
                }
            }
        }
    }

    @Test
    void clampedSwigluClampsGateAboveOnlyAndUpBothWays() {
        try (Arena arena = Arena.ofShared()) {
            MemorySegment gate = arena.allocate(4 * 4);
            MemorySegment up = arena.allocate(4 * 4);
            MemorySegment out = arena.allocate(4 * 4);
            float[][] cases = {{10f, -9f}, {-10f, 9f}, {7f, 7f}, {0.5f, -0.25f}};
            for (int i = 0; i < 4; i++) {
                gate.set(Simd.F32, i * 4L, cases[i][0]);
                up.set(Simd.F32, i * 4L, cases[i][1]);
            }
            vector.swigluClamped(gate, up, out, 4, 1.702f, 7f);
            assertNear(7 / (1 + Math.exp(-7 * 1.702)) * (-7 + 1), TestData.get(out, 0), "gate 10 → 7, up -9 → -7");
            assertNear(-10 / (1 + Math.exp(10 * 1.702)) * (7 + 1), TestData.get(out, 1), "gate -10 kept, up 9 → 7");
            assertNear(gptOss(0.5f, -0.25f), TestData.get(out, 3), "inside the limits");
        }
    }

    @Test
    void rmsNormMatchesF64FormulaForF32AndBf16Weights() {
        Random random = new Random(6);
        try (Arena arena = Arena.ofShared()) {
            for (WeightFormat format : new WeightFormat[] {WeightFormat.F32, WeightFormat.BF16}) {
                for (int dim : SIZES) {
                    int batch = 3;
                    Weights weight = TestData.weights(arena, random, format, 1, dim);
                    MemorySegment x = TestData.floats(arena, random, batch * dim, 3f);
                    MemorySegment v = arena.allocate((long) batch * dim * 4);
                    MemorySegment s = arena.allocate((long) batch * dim * 4);
                    vector.rmsNorm(x, weight, v, batch, dim, 1e-6f);
                    scalar.rmsNorm(x, weight, s, batch, dim, 1e-6f);
                    for (int b = 0; b < batch; b++) {
                        double squares = 0;
                        for (int i = 0; i < dim; i++) {
                            squares += Math.pow(TestData.get(x, (long) b * dim + i), 2);
                        }
                        double inverseRms = 1 / Math.sqrt(squares / dim + 1e-6);
                        for (int i = 0; i < dim; i++) {
                            long at = (long) b * dim + i;
                            double expected = TestData.get(x, at) * inverseRms * weight.get(0, i);
                            assertNear(expected, TestData.get(s, at), 8 + dim, format + " rmsNorm ref " + dim);
                            assertNear(TestData.get(s, at), TestData.get(v, at), 8 + dim, format + " rmsNorm " + dim);
                        }
                    }
                }
            }
        }
    }

    @Test
    void softmaxIsStableAndMatchesReference() {
        Random random = new Random(8);
        try (Arena arena = Arena.ofShared()) {
            for (int cols : SIZES) {
                int rows = 3;
                MemorySegment v = TestData.floats(arena, random, rows * cols, 30f);
                v.set(Simd.F32, 0, 1000f); // exp(1000) overflows unless the max is subtracted
                MemorySegment s = TestData.copy(arena, v);
                MemorySegment original = TestData.copy(arena, v);
                vector.softmax(v, rows, cols);
                scalar.softmax(s, rows, cols);
                for (int r = 0; r < rows; r++) {
                    double max = Double.NEGATIVE_INFINITY;
                    for (int i = 0; i < cols; i++) {
                        max = Math.max(max, TestData.get(original, (long) r * cols + i));
                    }
                    double sum = 0;
                    for (int i = 0; i < cols; i++) {
                        sum += Math.exp((float) (TestData.get(original, (long) r * cols + i) - max));
                    }
                    double total = 0;
                    for (int i = 0; i < cols; i++) {
                        long at = (long) r * cols + i;
                        // x - max is rounded to f32 before exp, as both paths do.
                        assertNear(Math.exp((float) (TestData.get(original, at) - max)) / sum, TestData.get(s, at), 8 + cols, "softmax ref");
                        assertNear(TestData.get(s, at), TestData.get(v, at), 8 + cols, "softmax " + cols);
                        total += TestData.get(v, at);
                    }
                    assertEquals(1.0, total, 1e-5);
                }
            }
        }
    }

    private static double gptOss(float gate, float up) {
        float g = Math.min(gate, 7f);
        float u = Math.max(-7f, Math.min(up, 7f));
        // alpha · g and u + 1 are rounded to f32 as both paths round them: exp magnifies the
        // first's error by |alpha · g|, and u + 1 cancels near u = -1.
        float z = g * 1.702f;
        return g / (1 + Math.exp(-z)) * (u + 1f);
    }

    /** Within 8 f32 ulps of the expected magnitude (plus a hair for values near zero). */
    private static void assertNear(double expected, float actual, String what) {
        assertNear(expected, actual, 8, what);
    }

    /**
     * Within {@code ulps} f32 ulps. Row operations get {@code 8 + n}: an f32 sum of n terms is
     * within {@code n · 2⁻²⁴} relative of exact, and that error carries into every output.
     */
    private static void assertNear(double expected, float actual, int ulps, String what) {
        double tolerance = ulps * Math.ulp((float) Math.abs(expected)) + 1e-30;
        assertTrue(Math.abs(expected - actual) <= tolerance, what + ": expected " + expected + ", got " + actual);
    }
}
