package io.podserve.kernels.cpu;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.Random;

import io.podserve.kernels.WeightFormat;
import io.podserve.kernels.Weights;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The batch-lane path: its tile against a scalar loop, the transpose, and whole matmuls against the
 * scalar reference over batches around the path's threshold and its tile and panel-block sizes,
 * rows that leave a short last panel group, and cols past one k-block with a scalar tail.
 */
class BatchLaneTileTest {
    private static final int[][] SHAPES = {{5, 33}, {13, 1030}, {200, 70}, {97, 600}};
    private static final int[] BATCHES = {MatmulKernel.LANES_MIN_BATCH, 31, 32, 33, 130};
    private static CpuBackend backend;

    @BeforeAll
    static void start() {
        backend = CpuBackend.vector(3);
    }

    @AfterAll
    static void stop() {
        backend.close();
    }

    @Test
    void tileMatchesScalarLoop() {
        Random random = new Random(5);
        int n = 37; // any k count: the tile's loop is scalar in k
        int xRows = BatchLaneTile.X_ROWS;
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment xt = TestData.floats(arena, random, n * xRows, 1f);
            float[] panel = new float[BatchLaneTile.W_ROWS * BatchLaneTile.P_ROW];
            for (int i = 0; i < panel.length; i++) {
                panel[i] = (float) random.nextGaussian();
            }
            MemorySegment sums = TestData.floats(arena, random, (int) (BatchLaneTile.ACC_BYTES / 4), 1f);
            MemorySegment before = TestData.copy(arena, sums);
            BatchLaneTile.tile(xt, 0, panel, 1, n, sums, 0);
            for (int r = 0; r < BatchLaneTile.W_ROWS; r++) {
                for (int j = 0; j < xRows; j++) {
                    long lane = (j / Simd.LANES) * BatchLaneTile.W_ROWS * Simd.LANES + r * Simd.LANES + j % Simd.LANES;
                    float expected = TestData.get(before, lane);
                    for (int k = 0; k < n; k++) {
                        expected = Math.fma(TestData.get(xt, (long) k * xRows + j), panel[r * BatchLaneTile.P_ROW + 1 + k],
                                expected);
                    }
                    assertEquals(expected, TestData.get(sums, lane), 0, "r " + r + " lane " + j);
                }
            }
        }
    }

    @Test
    void transposePadsPastTheBatch() {
        Random random = new Random(9);
        int batch = BatchLaneTile.X_ROWS + 3;
        int in = 600;
        int kv = 576; // three pieces of the transpose pass, the last one short
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment x = TestData.floats(arena, random, batch * in, 1f);
            MemorySegment xt = TestData.floats(arena, random, (int) (BatchLanes.bytes(batch, kv) / 4), 1f);
            for (int t = 0; t < BatchLanes.tiles(batch); t++) {
                for (int piece = 0; piece < BatchLanes.pieces(kv); piece++) {
                    BatchLanes.transpose(x, in, batch, kv, t, piece, xt, 0, new float[BatchLanes.SCRATCH_FLOATS]);
                }
            }
            for (int b = 0; b < BatchLanes.tiles(batch) * BatchLaneTile.X_ROWS; b++) {
                for (int k = 0; k < kv; k++) {
                    long at = (long) (b / BatchLaneTile.X_ROWS) * kv * BatchLaneTile.X_ROWS
                            + (long) k * BatchLaneTile.X_ROWS + b % BatchLaneTile.X_ROWS;
                    float expected = b < batch ? TestData.get(x, (long) b * in + k) : 0f;
                    assertEquals(expected, TestData.get(xt, at), 0, "x[" + b + "][" + k + "]");
                }
            }
        }
    }

    @ParameterizedTest
    @EnumSource(WeightFormat.class)
    void matmulMatchesScalarReference(WeightFormat format) {
        assertTrue(MatmulKernel.usesBatchLanes(BATCHES[0]));
        MatmulTest.checkAgainstReference(backend, format, new Random(format.ordinal() * 31L + 1), SHAPES, BATCHES);
    }
}
