package io.podserve.kernels.cpu;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.Random;

import io.podserve.kernels.Q8;
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
 * Vector matmul against the scalar reference for every format, over sizes that leave vector tails
 * (cols not a multiple of the lane count or the Q8 block), row tails (rows not a multiple of the
 * 2- and 4-row tiles), batch tails (batch not a multiple of 4) and k-blocking (cols over
 * {@link MatmulKernel#K_BLOCK}).
 *
 * <p>Bound: both sides sum {@code in} products in f32 in different orders, each within
 * {@code in · 2⁻²⁴ · Σ|x_i·w_i|} of the exact sum, so they differ by at most twice that.
 */
class MatmulTest {
    private static final int[][] SHAPES = {{1, 1}, {3, 7}, {5, 33}, {17, 100}, {6, 1030}, {9, 2100}};
    private static final int[] BATCHES = {1, 2, 3, 4, 5, 7, 17}; // fused 1-row, 4 × 2, 4 × 4 (3 and 4 rows), mixes
    private static CpuBackend backend;

    @BeforeAll
    static void start() {
        backend = CpuBackend.vector(3); // more participants than this machine's cores on purpose
    }

    @AfterAll
    static void stop() {
        backend.close();
    }

    @ParameterizedTest
    @EnumSource(WeightFormat.class)
    void vectorMatchesScalarReference(WeightFormat format) {
        checkAgainstReference(backend, format, new Random(format.ordinal() * 7919L), SHAPES, BATCHES);
    }

    /**
     * A group mixing formats, shapes, batches (some past one chunk) and every path, the last three
     * reading one x (transposed once for all three): each result equals its own call's.
     */
    @Test
    void groupEqualsEachMatmulAlone() {
        Random random = new Random(11);
        int[][] items = {{200, 70, 3}, {5, 33, 1}, {97, 1030, 2}, {1, 7, 17}, {130, 40, 5}, {150, 100, 40}, // batch-lane
            {150, 300, 140}, // batch-lane: two blocks of tiles, a short one; rows past one block of accumulators
            {60, 600, 40}, {20, 600, 40}, {33, 600, 40}}; // batch-lane, one shared x
        WeightFormat[] formats = WeightFormat.values();
        try (Arena arena = Arena.ofShared(); CpuBackend scalar = CpuBackend.scalar()) {
            int n = items.length;
            MemorySegment[] xs = new MemorySegment[n];
            MemorySegment[] ys = new MemorySegment[n];
            Weights[] ws = new Weights[n];
            int[] batches = new int[n];
            for (int g = 0; g < n; g++) {
                ws[g] = TestData.weights(arena, random, formats[g % formats.length], items[g][0], items[g][1]);
                batches[g] = items[g][2];
                xs[g] = g > n - 3 ? xs[n - 3] : TestData.floats(arena, random, batches[g] * items[g][1], 1f);
                ys[g] = arena.allocate((long) batches[g] * items[g][0] * 4);
            }
            backend.matmuls(xs, ws, ys, batches, n);
            for (int g = 0; g < n; g++) {
                MemorySegment alone = arena.allocate(ys[g].byteSize());
                backend.matmul(xs[g], ws[g], alone, batches[g]);
                assertEquals(-1, alone.mismatch(ys[g]), "matmul " + g + " of the group");
            }
            MemorySegment[] reference = new MemorySegment[n];
            for (int g = 0; g < n; g++) {
                reference[g] = arena.allocate(ys[g].byteSize());
            }
            scalar.matmuls(xs, ws, reference, batches, n);
            for (int g = 0; g < n; g++) {
                assertClose(xs[g], ws[g], reference[g], ys[g], batches[g], "group item " + g);
            }
        }
    }

    @Test
    void chunksShareTheRowsOutInWholeRoundsOfThePool() {
        int bf16Rows = MatmulTask.maxChunkRows(2048 * 2); // rows of 2048 bf16
        assertEquals(MatmulTask.ROWS_PER_CHUNK, bf16Rows);
        assertEquals(64, MatmulTask.chunkRows(2048, bf16Rows, 16)); // 32 chunks: two rounds of 16, not 22 chunks of 96
        assertEquals(96, MatmulTask.chunkRows(151_936, bf16Rows, 16)); // large: the longest chunk
        assertEquals(80, MatmulTask.chunkRows(4096 + 512 + 512, bf16Rows, 16)); // q, k and v together: 4 rounds
        assertEquals(MatmulTask.MIN_CHUNK_ROWS, MatmulTask.chunkRows(128, bf16Rows, 16)); // a router: 8 chunks
        assertEquals(96, MatmulTask.chunkRows(2048, bf16Rows, 2));
        assertEquals(MatmulTask.MIN_CHUNK_ROWS, MatmulTask.chunkRows(1, bf16Rows, 1));
    }

    @Test
    void chunksHoldAboutTheSameBytesWhateverTheRowWidth() {
        assertEquals(256, MatmulTask.maxChunkRows(768 * 2)); // an expert's down projection
        assertEquals(48, MatmulTask.maxChunkRows(4096 * 2)); // o_proj of 32 heads of 128
        assertEquals(MatmulTask.MAX_CHUNK_ROWS, MatmulTask.maxChunkRows(64)); // tiny rows: capped
        assertEquals(MatmulTask.MIN_CHUNK_ROWS, MatmulTask.maxChunkRows(1 << 20)); // huge rows: floored
        assertEquals(256, MatmulTask.chunkRows(52 * 2048, 256, 16)); // 52 experts' down projections: 26 rounds
    }

    /**
     * q, k and v of one input at a few rows (the 4 × 4 and 4 × 2 fused dots, whose x is laid out once for the
     * three): each result equals its own call's and the reference's.
     */
    @ParameterizedTest
    @EnumSource(value = WeightFormat.class, names = {"BF16", "Q8"})
    void groupedFusedDotsShareOneLayoutOfX(WeightFormat format) {
        Random random = new Random(13);
        int in = 2100; // a vector part of whole PairLanes blocks, then a scalar tail
        int[] outs = {96, 24, 24};
        int batch = 6;
        try (Arena arena = Arena.ofShared()) {
            MemorySegment x = TestData.floats(arena, random, batch * in, 1f);
            Weights[] ws = new Weights[3];
            MemorySegment[] xs = new MemorySegment[3];
            MemorySegment[] ys = new MemorySegment[3];
            for (int g = 0; g < 3; g++) {
                ws[g] = TestData.weights(arena, random, format, outs[g], in);
                xs[g] = x;
                ys[g] = arena.allocate((long) batch * outs[g] * 4);
            }
            backend.matmuls(xs, ws, ys, new int[] {batch, batch, batch}, 3);
            for (int g = 0; g < 3; g++) {
                MemorySegment alone = arena.allocate(ys[g].byteSize());
                backend.matmul(x, ws[g], alone, batch);
                assertEquals(-1, alone.mismatch(ys[g]), "matmul " + g + " of the group");
                MemorySegment expected = arena.allocate(ys[g].byteSize());
                MatmulKernel.reference(x, ws[g], expected, batch);
                assertClose(x, ws[g], expected, ys[g], batch, "matmul " + g);
            }
        }
    }

    /** The warm-up runs every path of every format on the pool and leaves the backend computing right. */
    @Test
    void warmUpRunsEveryFormatAndLeavesTheBackendRight() {
        KernelWarmUp.run(backend, java.util.List.of(WeightFormat.values()), 3);
        checkAgainstReference(backend, WeightFormat.BF16, new Random(5), new int[][] {{17, 100}}, new int[] {1, 5, 30});
    }

    @Test
    void scalarBackendIsTheReference() {
        Random random = new Random(3);
        try (Arena arena = Arena.ofShared(); CpuBackend scalar = CpuBackend.scalar()) {
            Weights w = TestData.weights(arena, random, WeightFormat.BF16, 5, 37);
            MemorySegment x = TestData.floats(arena, random, 2 * 37, 1f);
            MemorySegment expected = arena.allocate(2 * 5 * 4);
            MemorySegment actual = arena.allocate(2 * 5 * 4);
            MatmulKernel.reference(x, w, expected, 2);
            scalar.matmul(x, w, actual, 2);
            assertEquals(-1, expected.mismatch(actual));
            assertTrue(scalar.isScalar());
        }
    }

    @Test
    void systemPropertySelectsTheScalarReferences() {
        System.setProperty(CpuBackend.SCALAR_PROPERTY, "true");
        try (CpuBackend fromProperty = CpuBackend.create()) {
            assertTrue(fromProperty.isScalar());
            assertEquals(1, fromProperty.numThreads());
        } finally {
            System.clearProperty(CpuBackend.SCALAR_PROPERTY);
        }
        try (CpuBackend plain = CpuBackend.create()) {
            assertTrue(!plain.isScalar());
        }
    }

    @Test
    void smallIntegersAreExact() {
        // Every product and partial sum is a small integer, exact in f32 whatever the order.
        try (Arena arena = Arena.ofShared()) {
            for (WeightFormat format : WeightFormat.values()) {
                Weights f32 = Weights.allocate(arena, WeightFormat.F32, 6, 70);
                for (int r = 0; r < 6; r++) {
                    for (int c = 0; c < 70; c++) {
                        f32.set(r, c, format == WeightFormat.Q8 ? (c % 2 == 0 ? 127 : -127) * (r + 1) : (r - c % 5));
                    }
                }
                Weights w = format == WeightFormat.Q8 ? Q8.quantize(f32, arena) : convert(arena, f32, format);
                MemorySegment x = arena.allocate(5 * 70 * 4);
                for (int i = 0; i < 5 * 70; i++) {
                    x.set(Simd.F32, i * 4L, i % 7 - 3);
                }
                MemorySegment y = arena.allocate(5 * 6 * 4);
                backend.matmul(x, w, y, 5);
                for (int b = 0; b < 5; b++) {
                    for (int o = 0; o < 6; o++) {
                        double exact = 0;
                        for (int i = 0; i < 70; i++) {
                            exact += (double) TestData.get(x, b * 70L + i) * f32.get(o, i);
                        }
                        assertEquals(exact, TestData.get(y, (long) b * 6 + o), 0, format + " y[" + b + "][" + o + "]");
                    }
                }
            }
        }
    }

    private static Weights convert(Arena arena, Weights f32, WeightFormat format) {
        Weights w = Weights.allocate(arena, format, f32.rows(), f32.cols());
        for (int r = 0; r < f32.rows(); r++) {
            for (int c = 0; c < f32.cols(); c++) {
                w.set(r, c, f32.get(r, c));
            }
        }
        return w;
    }

    /** Every (shape, batch) through {@code backend.matmul} against {@link MatmulKernel#reference}. */
    static void checkAgainstReference(CpuBackend backend, WeightFormat format, Random random, int[][] shapes,
                                      int[] batches) {
        try (Arena arena = Arena.ofShared()) {
            for (int[] shape : shapes) {
                Weights w = TestData.weights(arena, random, format, shape[0], shape[1]);
                for (int batch : batches) {
                    MemorySegment x = TestData.floats(arena, random, batch * w.cols(), 1f);
                    MemorySegment expected = arena.allocate((long) batch * w.rows() * 4);
                    MemorySegment actual = arena.allocate((long) batch * w.rows() * 4);
                    MatmulKernel.reference(x, w, expected, batch);
                    backend.matmul(x, w, actual, batch);
                    assertClose(x, w, expected, actual, batch, format + " " + shape[0] + "×" + shape[1]
                            + " batch " + batch);
                }
            }
        }
    }

    static void assertClose(MemorySegment x, Weights w, MemorySegment expected, MemorySegment actual, int batch,
            String what) {
        int in = w.cols();
        for (int b = 0; b < batch; b++) {
            for (int o = 0; o < w.rows(); o++) {
                double magnitude = 0;
                for (int i = 0; i < in; i++) {
                    magnitude += Math.abs(TestData.get(x, (long) b * in + i) * w.get(o, i));
                }
                double bound = 2 * in * 0x1p-24 * magnitude + Float.MIN_NORMAL;
                float e = TestData.get(expected, (long) b * w.rows() + o);
                float a = TestData.get(actual, (long) b * w.rows() + o);
                assertTrue(Math.abs(e - a) <= bound, what + " y[" + b + "][" + o + "]: expected " + e + ", got " + a
                        + ", bound " + bound);
            }
        }
    }
}
