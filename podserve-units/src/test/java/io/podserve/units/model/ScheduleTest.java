package io.podserve.units.model;

import java.nio.file.Path;

import io.podserve.kernels.cpu.CpuBackend;
import io.podserve.model.checkpoint.Checkpoint;
import io.podserve.units.Fixtures;
import io.podserve.units.placement.CopyingPlacement;
import io.podserve.units.placement.LocalPlacement;
import io.podserve.units.placement.Placement;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Three sequences of different lengths in one mixed schedule (prefill chunks of varying size,
 * decode steps interleaved, a late joiner) give each sequence the logits it gets alone; and the
 * schedule through {@link CopyingPlacement} gives bit-identical logits to {@link LocalPlacement}.
 *
 * <p>NOTE: the placement comparison runs on the scalar backend. The Vector API's lane reductions
 * and EXP may round differently before and after C2 compiles them, so two vector runs can differ
 * in the last bit when a compilation lands between them, whatever the placement; scalar Java
 * arithmetic is bit-reproducible across JIT tiers, which isolates what this test is about: that
 * crossing a unit boundary through bytes changes nothing.
 */
class ScheduleTest {
    private static final int[][] TOKENS = {tokens(34, 7), tokens(21, 100), tokens(15, 500)};
    private static final int[] PROMPTS = {29, 13, 5};
    private static CpuBackend backend;
    private static CpuBackend scalar;

    @BeforeAll
    static void start() {
        backend = CpuBackend.vector(2);
        scalar = CpuBackend.scalar();
    }

    @AfterAll
    static void stop() {
        backend.close();
        scalar.close();
    }

    @ParameterizedTest
    @ValueSource(strings = {"qwen3_moe", "gpt_oss", "deepseek_v3"})
    void batchedScheduleMatchesSequencesAloneAndPlacementsAgree(String architecture) {
        Path dir = Fixtures.hfTiny(architecture);
        try (Checkpoint checkpoint = Checkpoint.open(dir);
                Model model = Model.load(checkpoint, backend, ModelOptions.DEFAULTS.withBlockSize(4))) {
            float[][][] alone = new float[TOKENS.length][][];
            for (int s = 0; s < TOKENS.length; s++) {
                Schedule single = new Schedule(new int[][] {TOKENS[s]},
                        new int[][] {Schedule.promptThenDecode(PROMPTS[s], TOKENS[s].length)}, new int[] {0});
                alone[s] = single.run(model, new LocalPlacement())[0];
            }
            Schedule mixed = new Schedule(TOKENS, new int[][] {
                {10, 19, 1, 1, 1, 1, 1},
                {4, 9, 1, 1, 1, 1, 1, 1, 1, 1},
                {2, 3, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1}}, new int[] {0, 1, 2});
            float[][][] local = mixed.run(model, new LocalPlacement());
            double maxDiff = 0;
            for (int s = 0; s < TOKENS.length; s++) {
                for (int p = 0; p < TOKENS[s].length; p++) {
                    for (int t = 0; t < local[s][p].length; t++) {
                        maxDiff = Math.max(maxDiff, Math.abs(local[s][p][t] - alone[s][p][t]));
                    }
                }
            }
            System.out.printf("%s: batched schedule vs alone max|Δ| %.3g%n", architecture, maxDiff);
            assertTrue(maxDiff <= 1e-5, "batched vs alone max|Δ| " + maxDiff);
            // Two models over one checkpoint (separate KV pages), run in lockstep: see Schedule.runLockstep.
            float[][][][] lanes;
            try (Model first = Model.load(checkpoint, scalar, ModelOptions.DEFAULTS.withBlockSize(4));
                    Model twin = Model.load(checkpoint, scalar, ModelOptions.DEFAULTS.withBlockSize(4))) {
                lanes = mixed.runLockstep(new Model[] {first, twin},
                        new Placement[] {new LocalPlacement(), new CopyingPlacement()});
            }
            float[][][] viaLocal = lanes[0];
            float[][][] copied = lanes[1];
            for (int s = 0; s < TOKENS.length; s++) {
                for (int p = 0; p < TOKENS[s].length; p++) {
                    assertArrayEquals(viaLocal[s][p], copied[s][p], "sequence " + s + " position " + p);
                }
            }
        }
    }

    /** Deterministic token ids below the hf-tiny vocabulary of 1024. */
    private static int[] tokens(int n, int seed) {
        int[] ids = new int[n];
        for (int i = 0; i < n; i++) {
            ids[i] = (seed + 37 * i * i + 11 * i) % 1024;
        }
        return ids;
    }
}
