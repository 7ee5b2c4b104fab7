package io.podserve.kernels.cpu;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.Collection;

import io.podserve.kernels.Q8;
import io.podserve.kernels.WeightFormat;
import io.podserve.kernels.Weights;

/**
 * Runs each matmul path of the given weight formats on small zero matrices until the JIT has had
 * reason to compile it with C2, so that a path a model uses rarely is fast from its first real call.
 *
 * <p>NOTE: Vector API code that still runs in the interpreter or C1 boxes every vector: with
 * {@code --quantization q8} the router stays bf16, the bf16 kernels serve only it, and C2 reached them
 * 38-41 s into a bench-model run; until then the router cost 0.4-1 ms a call instead of about 0.05
 * (docs/benchmarks.md, issue 3). A model of one format keeps every path hot within its first steps.
 */
final class KernelWarmUp {
    /**
     * x rows per call: 1 and 2 (the fused dots), 3 and 5 (the 4 × 4 dot with 3 and 4 rows, then a 4 × 2 one with 1;
     * the panel for the formats without them), 24 and 40 (the batch-lane tile and its half tile).
     */
    private static final int[] BATCHES = {1, 2, 3, 5, 24, 40};
    /**
     * NOTE: shapes that take every branch the model's shapes take: 130 rows leave a last chunk of fewer than 4
     * stretches' worth, and 768 columns a part-span of q8 scales (the down projections' width). A branch the
     * warm-up never took is compiled as an uncommon trap; taken later in the model, it sent the q8 4 × n dots
     * back to tier-3 code (boxed vectors) until C2 recompiled them.
     */
    private static final int ROWS = 130;
    private static final int COLS = 768;
    /** Calls per (format, batch): each runs its kernel loops on every chunk, well past C2's thresholds. */
    static final int ROUNDS = 2000;

    private KernelWarmUp() {
    }

    /** {@code rounds} calls per (format, batch); {@link #ROUNDS} to reach C2. */
    static void run(CpuBackend backend, Collection<WeightFormat> formats, int rounds) {
        int most = BATCHES[BATCHES.length - 1];
        try (Arena arena = Arena.ofShared()) { // the pool's workers read these too
            MemorySegment x = arena.allocate((long) most * COLS * Float.BYTES, 64);
            MemorySegment y = arena.allocate((long) most * ROWS * Float.BYTES, 64);
            for (WeightFormat format : formats) {
                Weights w = format == WeightFormat.Q8
                        ? Q8.quantize(Weights.allocate(arena, WeightFormat.F32, ROWS, COLS), arena)
                        : Weights.allocate(arena, format, ROWS, COLS);
                for (int round = 0; round < rounds; round++) {
                    for (int batch : BATCHES) {
                        backend.matmul(x, w, y, batch);
                    }
                }
            }
        }
    }
}
