package io.podserve.kernels.mla;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Random;

import io.podserve.kernels.WeightFormat;
import io.podserve.kernels.Weights;
import io.podserve.kernels.cpu.WorkerPool;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static io.podserve.kernels.mla.LatentCache.F32;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The absorbed attention (vector and scalar) against {@link MlaReference}, transformers'
 * non-absorbed form in double, over one mixed batch: prefill chunks from position 0 and from the
 * middle of a sequence, single decode rows (one at position 0), a padding row; pages handed out in
 * shuffled order; odd dimensions so every vector loop has a tail; 11 heads for a partial head block.
 *
 * <p>Bound: outputs are O(1) (weights scaled by 1/√kvLoraRank, scale 1/√(nope+rope)); f32 sums of a
 * few hundred products stay within ~1e-6 of exact, so 2e-5·(1 + |expected|) leaves a wide margin
 * while any wrong index or missing token moves outputs by ~1e-1.
 */
class MlaAttentionTest {
    private static WorkerPool pool;

    @BeforeAll
    static void start() {
        pool = new WorkerPool(3); // more participants than this machine's cores on purpose
    }

    @AfterAll
    static void stop() {
        pool.close();
    }

    /** A batch with its inputs, what the cache should hold, and the expected output. */
    private record Case(MlaShape shape, Weights kvB, LatentCache cache, MlaSequence[] sequences, int batch,
            MemorySegment qNope, MemorySegment qPe, List<float[][]> history, float scale) {
    }

    @ParameterizedTest
    @CsvSource({
            "3, 37, 11, 7, 9, 16, F32",
            "3, 37, 11, 7, 9, 4, BF16",
            "2, 131, 16, 8, 13, 4, F32",
            "4, 64, 32, 16, 32, 16, BF16",
            "11, 24, 6, 5, 7, 4, BF16"})
    void absorbedEqualsNonAbsorbedReference(int heads, int lora, int nope, int rope, int v, int blockSize,
            WeightFormat format) {
        MlaShape shape = new MlaShape(heads, lora, nope, rope, v);
        try (Arena arena = Arena.ofShared()) {
            Case c = build(arena, new Random(lora * 31L + blockSize), shape, blockSize, format);
            MemorySegment vector = run(arena, c, MlaAttention.vector(shape, pool));
            MemorySegment scalar = run(arena, c, MlaAttention.scalar(shape));
            MemorySegment single = run(arena, c, MlaAttention.vector(shape, null));
            for (MlaSequence seq : c.sequences()) {
                for (int i = 0; i < seq.numRows(); i++) {
                    int row = seq.firstRow() + i;
                    double[][] expected = MlaReference.attend(shape, c.kvB(), heads(c.qNope(), row, shape, nope),
                            heads(c.qPe(), row, shape, rope), prefix(c.history().get(indexOf(c, seq)),
                                    seq.firstPosition() + i + 1), c.scale());
                    assertRow(expected, vector, row, shape, "vector row " + row);
                    assertRow(expected, scalar, row, shape, "scalar row " + row);
                    assertRow(expected, single, row, shape, "single-threaded row " + row);
                }
            }
            int padding = c.batch() - 1;
            for (int j = 0; j < heads * v; j++) {
                assertTrue(Float.isNaN(vector.getAtIndex(F32, (long) padding * heads * v + j)), "padding row untouched");
            }
        }
    }

    /** Four sequences sharing a batch; the last batch row is padding. */
    private static Case build(Arena arena, Random random, MlaShape shape, int blockSize, WeightFormat format) {
        // {firstPosition, numRows}: fresh prefill, decode, mid-sequence prefill chunk, first decode row
        int[][] plan = {{0, 5}, {20, 1}, {13, 7}, {0, 1}};
        int pages = 0;
        for (int[] p : plan) {
            pages += (p[0] + p[1] + blockSize - 1) / blockSize;
        }
        List<Integer> free = new ArrayList<>();
        for (int i = 0; i < pages + 3; i++) {
            free.add(i);
        }
        Collections.shuffle(free, random);
        LatentCache cache = new LatentCache(arena, pages + 3, blockSize, shape.kvLoraRank(), shape.ropeDim());
        MlaSequence[] sequences = new MlaSequence[plan.length];
        List<float[][]> history = new ArrayList<>();
        int row = 0;
        for (int s = 0; s < plan.length; s++) {
            int context = plan[s][0] + plan[s][1];
            int[] blocks = new int[(context + blockSize - 1) / blockSize];
            for (int b = 0; b < blocks.length; b++) {
                blocks[b] = free.removeLast();
            }
            sequences[s] = new MlaSequence(row, plan[s][1], plan[s][0], blocks);
            row += plan[s][1];
            float[][] rows = randomRows(random, context, shape.rowWidth());
            history.add(rows);
            writeEarlier(arena, cache, blocks, rows, plan[s][0]);
        }
        int batch = row + 1;
        writeThisStep(arena, cache, sequences, history, batch);
        Weights kvB = Weights.allocate(arena, format, shape.numHeads() * shape.kvBRowsPerHead(), shape.kvLoraRank());
        float wScale = (float) (1 / Math.sqrt(shape.kvLoraRank()));
        for (int r = 0; r < kvB.rows(); r++) {
            for (int col = 0; col < kvB.cols(); col++) {
                kvB.set(r, col, (float) random.nextGaussian() * wScale);
            }
        }
        MemorySegment qNope = floats(arena, random, batch * shape.numHeads() * shape.nopeDim());
        MemorySegment qPe = floats(arena, random, batch * shape.numHeads() * shape.ropeDim());
        float scale = (float) (1 / Math.sqrt(shape.nopeDim() + shape.ropeDim()));
        return new Case(shape, kvB, cache, sequences, batch, qNope, qPe, history, scale);
    }

    /** The tokens before this step, written one by one as earlier steps would have. */
    private static void writeEarlier(Arena arena, LatentCache cache, int[] blocks, float[][] rows, int count) {
        for (int t = 0; t < count; t++) {
            cache.write(segment(arena, rows[t]), 1, new int[] {cache.slot(blocks, t)});
        }
    }

    /** This step's rows, in batch order, through the slot mapping. */
    private static void writeThisStep(Arena arena, LatentCache cache, MlaSequence[] sequences, List<float[][]> history,
            int batch) {
        int width = cache.rowWidth();
        float[] step = new float[batch * width];
        for (int s = 0; s < sequences.length; s++) {
            MlaSequence seq = sequences[s];
            for (int i = 0; i < seq.numRows(); i++) {
                System.arraycopy(history.get(s)[seq.firstPosition() + i], 0, step, (seq.firstRow() + i) * width, width);
            }
        }
        cache.write(segment(arena, step), batch, cache.slotMapping(sequences, batch));
    }

    private static MemorySegment run(Arena arena, Case c, MlaAttention attention) {
        MemorySegment out = arena.allocate((long) c.batch() * c.shape().numHeads() * c.shape().vDim() * 4);
        for (long i = 0; i < out.byteSize() / 4; i++) {
            out.setAtIndex(F32, i, Float.NaN);
        }
        attention.attend(c.cache(), c.kvB(), c.qNope(), c.qPe(), c.sequences(), c.batch(), c.scale(), out);
        return out;
    }

    private static void assertRow(double[][] expected, MemorySegment out, int row, MlaShape shape, String what) {
        for (int h = 0; h < shape.numHeads(); h++) {
            for (int j = 0; j < shape.vDim(); j++) {
                float actual = out.getAtIndex(F32, ((long) row * shape.numHeads() + h) * shape.vDim() + j);
                double e = expected[h][j];
                assertEquals(e, actual, 2e-5 * (1 + Math.abs(e)), what + " head " + h + " [" + j + "]");
            }
        }
    }

    @Test
    void vectorMatchesScalarClosely() {
        MlaShape shape = new MlaShape(5, 77, 9, 5, 11);
        try (Arena arena = Arena.ofShared()) {
            Case c = build(arena, new Random(7), shape, 16, WeightFormat.BF16);
            MemorySegment vector = run(arena, c, MlaAttention.vector(shape, pool));
            MemorySegment scalar = run(arena, c, MlaAttention.scalar(shape));
            for (long i = 0; i < (long) (c.batch() - 1) * shape.numHeads() * shape.vDim(); i++) {
                float s = scalar.getAtIndex(F32, i);
                assertEquals(s, vector.getAtIndex(F32, i), 1e-5f * (1 + Math.abs(s)), "element " + i);
            }
        }
    }

    @Test
    void rejectsBadBatches() {
        MlaShape shape = new MlaShape(2, 8, 4, 2, 4);
        try (Arena arena = Arena.ofShared()) {
            LatentCache cache = new LatentCache(arena, 2, 4, 8, 2);
            Weights kvB = Weights.allocate(arena, WeightFormat.F32, 2 * 8, 8);
            MemorySegment q = arena.allocate(4 * 2 * 8 * 4);
            MlaAttention attention = MlaAttention.scalar(shape);
            MlaSequence tooLong = new MlaSequence(0, 2, 7, new int[] {0, 1}); // context 9 > 2 pages of 4
            assertThrows(IllegalArgumentException.class,
                    () -> attention.attend(cache, kvB, q, q, new MlaSequence[] {tooLong}, 2, 1f, q));
            MlaSequence a = new MlaSequence(0, 2, 0, new int[] {0});
            MlaSequence b = new MlaSequence(1, 1, 0, new int[] {1});
            assertThrows(IllegalArgumentException.class,
                    () -> attention.attend(cache, kvB, q, q, new MlaSequence[] {a, b}, 2, 1f, q));
            MlaSequence badPage = new MlaSequence(0, 1, 0, new int[] {2});
            assertThrows(IndexOutOfBoundsException.class,
                    () -> attention.attend(cache, kvB, q, q, new MlaSequence[] {badPage}, 1, 1f, q));
            Weights wrong = Weights.allocate(arena, WeightFormat.F32, 2 * 8, 9);
            assertThrows(IllegalArgumentException.class,
                    () -> attention.attend(cache, wrong, q, q, new MlaSequence[] {a}, 2, 1f, q));
        }
    }

    private static int indexOf(Case c, MlaSequence seq) {
        return List.of(c.sequences()).indexOf(seq);
    }

    private static float[][] heads(MemorySegment x, int row, MlaShape shape, int dim) {
        float[][] result = new float[shape.numHeads()][dim];
        for (int h = 0; h < shape.numHeads(); h++) {
            for (int i = 0; i < dim; i++) {
                result[h][i] = x.getAtIndex(F32, ((long) row * shape.numHeads() + h) * dim + i);
            }
        }
        return result;
    }

    private static float[][] prefix(float[][] rows, int n) {
        return Arrays.copyOf(rows, n);
    }

    private static float[][] randomRows(Random random, int n, int width) {
        float[][] rows = new float[n][width];
        for (float[] r : rows) {
            for (int i = 0; i < width; i++) {
                r[i] = (float) random.nextGaussian();
            }
        }
        return rows;
    }

    private static MemorySegment floats(Arena arena, Random random, int n) {
        MemorySegment s = arena.allocate((long) n * 4, 64);
        for (int i = 0; i < n; i++) {
            s.setAtIndex(F32, i, (float) random.nextGaussian());
        }
        return s;
    }

    private static MemorySegment segment(Arena arena, float[] values) {
        MemorySegment s = arena.allocate((long) values.length * 4, 64);
        MemorySegment.copy(values, 0, s, F32, 0, values.length);
        return s;
    }
}
