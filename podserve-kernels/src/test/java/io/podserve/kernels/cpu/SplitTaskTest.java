package io.podserve.kernels.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.Random;

import io.podserve.kernels.WeightFormat;
import io.podserve.kernels.Weights;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Large element-wise operations and RMSNorms spread over the pool give exactly what one serial call
 * of the same kernel gives: sizes past {@link SplitTask#MIN_FLOATS}, with a short last chunk.
 */
class SplitTaskTest {
    private static final int N = 4 * SplitTask.CHUNK_FLOATS + 37;
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
    void elementwiseOpsEqualOneSerialCall() {
        Random random = new Random(5);
        try (Arena arena = Arena.ofShared()) {
            MemorySegment a = TestData.floats(arena, random, N, 4f);
            MemorySegment b = TestData.floats(arena, random, N, 4f);
            MemorySegment split = arena.allocate(N * 4L);
            MemorySegment serial = arena.allocate(N * 4L);

            backend.add(a, b, split, N);
            Elementwise.add(a, b, serial, N);
            assertEquals(-1, split.mismatch(serial), "add");

            backend.scale(a, 0.37f, split, N);
            Elementwise.scale(a, 0.37f, serial, N);
            assertEquals(-1, split.mismatch(serial), "scale");

            backend.silu(a, split, N);
            Activations.silu(a, serial, N);
            assertEquals(-1, split.mismatch(serial), "silu");

            backend.swiglu(a, b, split, N);
            Activations.swiglu(a, b, serial, N);
            assertEquals(-1, split.mismatch(serial), "swiglu");

            backend.swigluClamped(a, b, split, N, 1.702f, 2f);
            Activations.swigluClamped(a, b, serial, N, 1.702f, 2f);
            assertEquals(-1, split.mismatch(serial), "swiglu clamped");
        }
    }

    @Test
    void weightedRowCombineEqualsRowByRowAdds() {
        Random random = new Random(7);
        int cols = 1000; // not a multiple of the column chunk: a short last one
        int count = 90; // 90,000 floats
        int accRows = 13;
        int[] rows = new int[count + 4];
        float[] weights = new float[count + 4];
        for (int i = 0; i < rows.length; i++) {
            rows[i] = random.nextInt(accRows); // rows repeat: their adds must keep i's order
            weights[i] = random.nextFloat();
        }
        try (Arena arena = Arena.ofShared()) {
            MemorySegment x = TestData.floats(arena, random, count * cols, 2f);
            MemorySegment split = TestData.floats(arena, random, accRows * cols, 1f);
            MemorySegment serial = arena.allocate(split.byteSize());
            serial.copyFrom(split);
            backend.addScaledRows(split, x, rows, weights, 4, count, cols);
            long rowBytes = cols * 4L;
            for (int i = 0; i < count; i++) {
                Elementwise.addScaled(serial.asSlice(rows[4 + i] * rowBytes, rowBytes), x.asSlice(i * rowBytes, rowBytes),
                        weights[4 + i], cols);
            }
            assertEquals(-1, split.mismatch(serial));
        }
    }

    @Test
    void ropeEqualsOneSerialCall() {
        Random random = new Random(8);
        int batch = 37;
        int heads = 16;
        try (Arena arena = Arena.ofShared()) {
            io.podserve.kernels.RopeTable table = io.podserve.kernels.RopeTable.build(
                    io.podserve.kernels.RopeParams.plain(1e6, 128, 600), arena);
            int[] positions = random.ints(batch, 0, 600).toArray();
            for (io.podserve.kernels.RopeLayout layout : io.podserve.kernels.RopeLayout.values()) {
                MemorySegment split = TestData.floats(arena, random, batch * heads * 128, 2f); // 75,776 floats
                MemorySegment serial = arena.allocate(split.byteSize());
                serial.copyFrom(split);
                backend.rope(table, layout, split, batch, heads, positions);
                RopeKernel.apply(table, layout, serial, batch, heads, positions);
                assertEquals(-1, split.mismatch(serial), layout.toString());
            }
        }
    }

    @Test
    void rmsNormEqualsOneSerialCallInPlaceToo() {
        Random random = new Random(6);
        int dim = 2048;
        int batch = 41; // 83,968 floats: past the threshold, 8 rows per chunk, a short last chunk
        try (Arena arena = Arena.ofShared()) {
            MemorySegment x = TestData.floats(arena, random, batch * dim, 3f);
            Weights weight = TestData.weights(arena, random, WeightFormat.BF16, 1, dim);
            MemorySegment split = arena.allocate((long) batch * dim * 4);
            MemorySegment serial = arena.allocate((long) batch * dim * 4);
            backend.rmsNorm(x, weight, split, batch, dim, 1e-6f);
            RowOps.rmsNorm(x, weight, serial, batch, dim, 1e-6f);
            assertEquals(-1, split.mismatch(serial), "rmsNorm");
            backend.rmsNorm(x, weight, x, batch, dim, 1e-6f);
            assertEquals(-1, x.mismatch(serial), "rmsNorm in place");
        }
    }
}
