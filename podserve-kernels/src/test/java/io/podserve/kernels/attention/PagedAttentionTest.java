package io.podserve.kernels.attention;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

import io.podserve.kernels.cpu.CpuBackend;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Paged attention (vector and scalar) against a dense reference in f64 over contiguous per-sequence
 * K/V: three sequences in shuffled pages, query rows mixing a prefill chunk and decode rows.
 */
class PagedAttentionTest {
    private static final ValueLayout.OfFloat F32 = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final int[] LENGTHS = {5, 23, 1};
    private static CpuBackend vector;
    private static CpuBackend wide; // more threads than decode blocks: decode rows per (row, head)
    private static CpuBackend scalar;

    @BeforeAll
    static void start() {
        vector = CpuBackend.vector(2);
        wide = CpuBackend.vector(32);
        scalar = CpuBackend.scalar();
    }

    @AfterAll
    static void stop() {
        vector.close();
        wide.close();
        scalar.close();
    }

    @ParameterizedTest(name = "heads {0}, kv heads {1}, head dim {2}, window {3}, sinks {4}")
    @CsvSource({"4, 4, 16, 0, false", "8, 2, 20, 0, true", "4, 1, 32, 6, false", "4, 2, 7, 3, true",
        "8, 2, 64, 0, true", "16, 2, 128, 5, false"})
    void pagedMatchesDenseReference(int heads, int kvHeads, int headDim, int window, boolean withSinks) {
        AttentionShape shape = new AttentionShape(heads, kvHeads, headDim, window);
        Random random = new Random(heads * 31 + headDim);
        int blockSize = 4;
        try (Arena arena = Arena.ofShared()) {
            KvCache cache = new KvCache(arena, 16, blockSize, kvHeads, headDim);
            int[][] tables = shuffledTables(random, cache.numPages(), blockSize);
            float[][][] keys = new float[LENGTHS.length][][];
            float[][][] values = new float[LENGTHS.length][][];
            for (int s = 0; s < LENGTHS.length; s++) {
                keys[s] = randomRows(random, LENGTHS[s], shape.kvRowFloats());
                values[s] = randomRows(random, LENGTHS[s], shape.kvRowFloats());
                for (int p = 0; p < LENGTHS[s]; p++) {
                    cache.write(segment(arena, keys[s][p]), segment(arena, values[s][p]), 1, new int[] {p},
                            new int[][] {tables[s]});
                }
            }
            // Rows: the last 12 positions of sequence 1 (a prefill chunk: blocks of 8 and 4 rows over two key
            // blocks, so with a window some rows see nothing of a key block), then decode rows of 0 and 2.
            int[] rowSeq = {1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 2};
            int[] positions = {11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 4, 0};
            int batch = rowSeq.length;
            int[][] rowTables = new int[batch][];
            for (int r = 0; r < batch; r++) {
                rowTables[r] = tables[rowSeq[r]];
            }
            float[] sinks = withSinks ? randomRows(random, 1, heads)[0] : null;
            float[][] q = randomRows(random, batch, heads * headDim);
            MemorySegment qs = segment(arena, flatten(q));
            for (CpuBackend backend : new CpuBackend[] {vector, wide, scalar}) {
                MemorySegment out = arena.allocate((long) batch * heads * headDim * 4);
                backend.pagedAttention(shape, cache, qs, batch, positions, rowTables, sinks, out);
                for (int r = 0; r < batch; r++) {
                    double[] expected = dense(shape, q[r], keys[rowSeq[r]], values[rowSeq[r]], positions[r], sinks);
                    for (int i = 0; i < expected.length; i++) {
                        float actual = out.getAtIndex(F32, (long) r * heads * headDim + i);
                        assertEquals(expected[i], actual, 2e-6, "row " + r + " element " + i);
                    }
                }
            }
        }
    }

    @org.junit.jupiter.api.Test
    void rowOffsetsOfARunEqualEachPositionsOffset() {
        try (Arena arena = Arena.ofConfined()) {
            KvCache cache = new KvCache(arena, 8, 3, 2, 4);
            int[] table = {5, 0, 7, 2, 6};
            long[] offsets = new long[15];
            for (int first = 0; first < 15; first++) {
                for (int n = 1; first + n <= 15; n++) {
                    java.util.Arrays.fill(offsets, -1);
                    cache.rowOffsets(table, first, n, offsets);
                    for (int i = 0; i < n; i++) {
                        assertEquals(cache.rowOffset(table, first + i), offsets[i], "first " + first + ", i " + i);
                    }
                }
            }
        }
    }

    private static double[] dense(AttentionShape shape, float[] q, float[][] k, float[][] v, int position,
            float[] sinks) {
        int d = shape.headDim();
        double[] out = new double[shape.numHeads() * d];
        for (int h = 0; h < shape.numHeads(); h++) {
            int kvh = h / shape.groupSize();
            List<Integer> visible = new ArrayList<>();
            for (int t = 0; t <= position; t++) {
                if (shape.slidingWindow() == 0 || t > position - shape.slidingWindow()) {
                    visible.add(t);
                }
            }
            double[] scores = new double[visible.size()];
            double max = sinks == null ? Double.NEGATIVE_INFINITY : sinks[h];
            for (int j = 0; j < scores.length; j++) {
                double dot = 0;
                for (int i = 0; i < d; i++) {
                    dot += (double) q[h * d + i] * k[visible.get(j)][kvh * d + i];
                }
                scores[j] = dot / Math.sqrt(d);
                max = Math.max(max, scores[j]);
            }
            double sum = sinks == null ? 0 : Math.exp(sinks[h] - max);
            for (int j = 0; j < scores.length; j++) {
                scores[j] = Math.exp(scores[j] - max);
                sum += scores[j];
            }
            for (int j = 0; j < scores.length; j++) {
                for (int i = 0; i < d; i++) {
                    out[h * d + i] += scores[j] / sum * v[visible.get(j)][kvh * d + i];
                }
            }
        }
        return out;
    }

    private static int[][] shuffledTables(Random random, int numPages, int blockSize) {
        List<Integer> pages = new ArrayList<>();
        for (int p = 0; p < numPages; p++) {
            pages.add(p);
        }
        Collections.shuffle(pages, random);
        int[][] tables = new int[LENGTHS.length][];
        int next = 0;
        for (int s = 0; s < LENGTHS.length; s++) {
            tables[s] = new int[(LENGTHS[s] + blockSize - 1) / blockSize];
            for (int b = 0; b < tables[s].length; b++) {
                tables[s][b] = pages.get(next++);
            }
        }
        return tables;
    }

    private static float[][] randomRows(Random random, int rows, int cols) {
        float[][] x = new float[rows][cols];
        for (float[] row : x) {
            for (int i = 0; i < cols; i++) {
                row[i] = (float) random.nextGaussian();
            }
        }
        return x;
    }

    private static float[] flatten(float[][] rows) {
        float[] flat = new float[rows.length * rows[0].length];
        for (int r = 0; r < rows.length; r++) {
            System.arraycopy(rows[r], 0, flat, r * rows[0].length, rows[0].length);
        }
        return flat;
    }

    private static MemorySegment segment(Arena arena, float[] values) {
        MemorySegment s = arena.allocate((long) values.length * 4);
        for (int i = 0; i < values.length; i++) {
            s.setAtIndex(F32, i, values[i]);
        }
        return s;
    }
}
