package io.podserve.kernels.cpu;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.Random;

import io.podserve.kernels.WeightFormat;
import io.podserve.kernels.Weights;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The q8 4 × 4 and 4 × 2 fused dots called directly (the matmul takes them only with
 * {@code -Dpodserve.kernels.q8Fused=true}, so {@link MatmulTest} does not reach them by default): every
 * (x row, weight row) sum against a double-precision dot of the dequantized weights, over k-ranges with a
 * whole and a part span of staged scales, fewer than 4 weight rows and fewer x rows than the dot's width.
 */
class Q8FusedDotTest {
    @ParameterizedTest
    @CsvSource({"4, 4, 768, 0, 768", "3, 4, 768, 0, 768", "4, 3, 1024, 512, 1024", "2, 4, 2048, 0, 2048",
        "1, 2, 768, 0, 768", "2, 1, 1536, 512, 1536"})
    void sumsMatchTheDequantizedDot(int numX, int numW, int cols, int k0, int k1) {
        Random random = new Random(numX * 31 + numW * 7 + cols);
        int rows = 12;
        int stride = 3; // weight rows o, o + 3, o + 6, o + 9
        try (Arena arena = Arena.ofShared()) {
            Weights w = TestData.weights(arena, random, WeightFormat.Q8, rows, cols);
            MemorySegment x = TestData.floats(arena, random, numX * cols, 1f);
            float[] xp = new float[numX * cols];
            for (int b = 0; b < numX; b++) {
                PairLanes.deinterleave(x, cols, b, cols, xp, 0);
            }
            float[] sums = new float[MatmulKernel.FLOAT_SCRATCH];
            int o = 1;
            if (numX > 2) {
                PanelDecode.Q8.dot4x4(w, o, stride, numW, xp, 0, cols, numX, k0, k1, sums, 0);
            } else {
                PanelDecode.Q8.dot4x2(w, o, stride, numW, xp, 0, cols, numX, k0, k1, sums, 0);
            }
            for (int b = 0; b < numX; b++) {
                for (int r = 0; r < numW; r++) {
                    float got = FloatVector.fromArray(Simd.F, sums, b * MatmulKernel.DIRECT_ROW_FLOATS + r * Simd.LANES)
                            .reduceLanes(VectorOperators.ADD);
                    double want = 0;
                    double magnitude = 0;
                    for (int i = k0; i < k1; i++) {
                        double p = (double) TestData.get(x, (long) b * cols + i) * w.get(o + r * stride, i);
                        want += p;
                        magnitude += Math.abs(p);
                    }
                    double bound = 2 * (k1 - k0) * 0x1p-24 * magnitude + Float.MIN_NORMAL;
                    assertTrue(Math.abs(got - want) <= bound, "x row " + b + ", weight row " + r + ": " + got
                            + " against " + want + " (bound " + bound + ")");
                }
            }
        }
    }
}
