package io.podserve.kernels.cpu;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.Random;

import io.podserve.kernels.RopeLayout;
import io.podserve.kernels.RopeParams;
import io.podserve.kernels.RopeTable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** RoPE application: vector vs scalar (bit-identical), against the pair formula, pass-through. */
class RopeKernelTest {
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
    void vectorIsBitIdenticalToScalarForBothLayoutsAndOddDims() {
        Random random = new Random(9);
        int[][] dims = {{128, 128}, {64, 64}, {72, 72}, {18, 18}, {128, 64}, {40, 20}}; // {headDim, rotaryDim}
        try (Arena arena = Arena.ofShared()) {
            for (int[] d : dims) {
                RopeParams p = new RopeParams(RopeParams.Type.DEFAULT, 10000, 1, 0, 32, 1, 0, 0, Double.NaN, true, 1, 4,
                        (double) d[1] / d[0], d[0], 300);
                RopeTable table = RopeTable.build(p, arena);
                for (RopeLayout layout : RopeLayout.values()) {
                    int batch = 5;
                    int numHeads = 3;
                    int[] positions = {0, 1, 7, 150, 299};
                    MemorySegment v = TestData.floats(arena, random, batch * numHeads * d[0], 1f);
                    MemorySegment s = TestData.copy(arena, v);
                    MemorySegment original = TestData.copy(arena, v);
                    vector.rope(table, layout, v, batch, numHeads, positions);
                    scalar.rope(table, layout, s, batch, numHeads, positions);
                    assertEquals(-1, v.mismatch(s), layout + " " + d[0] + "/" + d[1]);
                    checkFormula(table, layout, original, s, batch, numHeads, positions);
                }
            }
        }
    }

    private static void checkFormula(RopeTable table, RopeLayout layout, MemorySegment original, MemorySegment rotated,
            int batch, int numHeads, int[] positions) {
        int headDim = table.headDim();
        int half = table.rotaryDim() / 2;
        float[] inv = table.inverseFrequencies();
        for (int b = 0; b < batch; b++) {
            for (int h = 0; h < numHeads; h++) {
                long head = ((long) b * numHeads + h) * headDim;
                for (int j = 0; j < half; j++) {
                    long first = layout == RopeLayout.HALVES ? head + j : head + 2L * j;
                    long second = layout == RopeLayout.HALVES ? head + j + half : first + 1;
                    double angle = (float) positions[b] * inv[j];
                    double x1 = TestData.get(original, first);
                    double x2 = TestData.get(original, second);
                    assertEquals(x1 * Math.cos(angle) - x2 * Math.sin(angle), TestData.get(rotated, first), 1e-5);
                    assertEquals(x2 * Math.cos(angle) + x1 * Math.sin(angle), TestData.get(rotated, second), 1e-5);
                }
                for (int i = table.rotaryDim(); i < headDim; i++) {
                    assertEquals(TestData.get(original, head + i), TestData.get(rotated, head + i), "pass-through");
                }
            }
        }
    }

    @Test
    void rotationKeepsPairNormsAndPositionZeroIsIdentity() {
        try (Arena arena = Arena.ofShared()) {
            RopeTable table = RopeTable.build(RopeParams.plain(1e6, 64, 10), arena);
            MemorySegment x = TestData.floats(arena, new Random(10), 2 * 64, 1f);
            MemorySegment original = TestData.copy(arena, x);
            vector.rope(table, RopeLayout.HALVES, x, 2, 1, new int[] {0, 9});
            for (int i = 0; i < 64; i++) {
                assertEquals(TestData.get(original, i), TestData.get(x, i), "position 0");
            }
            for (int j = 0; j < 32; j++) {
                double before = Math.hypot(TestData.get(original, 64 + j), TestData.get(original, 64 + j + 32));
                double after = Math.hypot(TestData.get(x, 64 + j), TestData.get(x, 64 + j + 32));
                assertTrue(Math.abs(before - after) <= 1e-6 * (1 + before), "pair norm " + j);
            }
        }
    }
}
