package io.podserve.units.layers;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.Random;

import io.podserve.kernels.WeightFormat;
import io.podserve.kernels.Weights;
import io.podserve.kernels.attention.KvCache;
import io.podserve.kernels.cpu.CpuBackend;
import io.podserve.units.Activation.Hidden;
import io.podserve.units.Activation.Routed;
import io.podserve.units.Step;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The grouped expert step against a plain one: each token's experts applied one by one to that
 * token's row alone, weighted and summed in expert index order, plus the residual. Enough rows
 * that the (row, expert) pairs exceed {@link ExpertsUnit#MAX_PAIRS}, so the step runs in several
 * grouped calls; one expert is left untouched.
 */
class ExpertsUnitTest {
    private static final int HIDDEN = 40;
    private static final int INTER = 24;
    private static final int NUM_EXPERTS = 7;
    private static final int TOP_K = 3;

    @Test
    @Timeout(60)
    void groupedStepMatchesExpertByExpert() {
        Random random = new Random(5);
        int rows = ExpertsUnit.MAX_PAIRS / TOP_K + 50;
        try (Arena arena = Arena.ofShared(); CpuBackend backend = CpuBackend.vector(2)) {
            SwigluMlp[] experts = new SwigluMlp[NUM_EXPERTS];
            for (int e = 0; e < NUM_EXPERTS; e++) {
                experts[e] = new SwigluMlp(linear(arena, random, INTER, HIDDEN), linear(arena, random, INTER, HIDDEN),
                        linear(arena, random, HIDDEN, INTER), 0f);
            }
            MemorySegment residual = floats(arena, random, rows * HIDDEN);
            MemorySegment normed = floats(arena, random, rows * HIDDEN);
            int[] ids = new int[rows * TOP_K];
            float[] weights = new float[rows * TOP_K];
            for (int r = 0; r < rows; r++) {
                for (int j = 0; j < TOP_K; j++) {
                    ids[r * TOP_K + j] = (r + 2 * j) % (NUM_EXPERTS - 1); // expert NUM_EXPERTS - 1 never chosen
                    weights[r * TOP_K + j] = random.nextFloat();
                }
            }
            MemorySegment expected = expectedOutput(backend, arena, experts, residual, normed, ids, weights, rows);
            Routed routed = new Routed(new Hidden(residual, rows, HIDDEN), new Hidden(normed, rows, HIDDEN), TOP_K,
                    ids, weights);
            Step step = new Step(rows, new int[rows], new int[rows][], new KvCache[0], null);
            new ExpertsUnit(0, backend, experts).forward(step, routed);
            for (long i = 0; i < (long) rows * HIDDEN; i++) {
                float e = expected.getAtIndex(Hidden.F32, i);
                float a = residual.getAtIndex(Hidden.F32, i);
                assertTrue(Math.abs(e - a) <= 1e-5f * (1 + Math.abs(e)), "element " + i + ": " + e + " vs " + a);
            }
        }
    }

    /** residual + Σ_j w_j · mlp_{e_j}(normed[r]) per row, experts in index order, one row at a time. */
    private static MemorySegment expectedOutput(CpuBackend backend, Arena arena, SwigluMlp[] experts,
            MemorySegment residual, MemorySegment normed, int[] ids, float[] weights, int rows) {
        long rowBytes = (long) HIDDEN * Float.BYTES;
        MemorySegment expected = arena.allocate(rows * rowBytes);
        MemorySegment out = arena.allocate(rowBytes);
        for (int r = 0; r < rows; r++) {
            MemorySegment sum = arena.allocate(rowBytes);
            for (int e = 0; e < experts.length; e++) {
                for (int j = 0; j < TOP_K; j++) {
                    if (ids[r * TOP_K + j] == e) {
                        experts[e].apply(backend, normed.asSlice(r * rowBytes, rowBytes), out, 1);
                        backend.addScaled(sum, out, weights[r * TOP_K + j], HIDDEN);
                    }
                }
            }
            backend.add(residual.asSlice(r * rowBytes, rowBytes), sum, expected.asSlice(r * rowBytes, rowBytes), HIDDEN);
        }
        assertEquals(rows * rowBytes, expected.byteSize());
        return expected;
    }

    private static Linear linear(Arena arena, Random random, int out, int in) {
        Weights w = Weights.allocate(arena, WeightFormat.F32, out, in);
        for (int r = 0; r < out; r++) {
            for (int c = 0; c < in; c++) {
                w.set(r, c, (float) random.nextGaussian() * 0.2f);
            }
        }
        return new Linear(w, null);
    }

    private static MemorySegment floats(Arena arena, Random random, int n) {
        MemorySegment s = arena.allocate((long) n * Float.BYTES);
        for (int i = 0; i < n; i++) {
            s.setAtIndex(Hidden.F32, i, (float) random.nextGaussian());
        }
        return s;
    }
}
