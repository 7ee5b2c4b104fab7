package io.podserve.units.layers;

import java.util.ArrayList;
import java.util.List;

import io.podserve.kernels.mla.MlaSequence;
import io.podserve.units.Step;

/**
 * A step's rows grouped into the per-sequence runs {@link io.podserve.kernels.mla.MlaAttention}
 * takes: a run is a stretch of rows sharing one block table at consecutive positions.
 *
 * <p>NOTE: the kernel takes immutable records, so a step costs one small array and a record per
 * sequence per MLA layer: a handful of objects against the layer's megaflops, kept for the
 * kernel's simpler contract.
 */
final class StepSequences {
    private final List<MlaSequence> runs = new ArrayList<>();

    MlaSequence[] of(Step step) {
        runs.clear();
        int first = 0;
        for (int r = 1; r <= step.rows(); r++) {
            if (r == step.rows() || step.blockTables()[r] != step.blockTables()[first]
                    || step.positions()[r] != step.positions()[r - 1] + 1) {
                runs.add(new MlaSequence(first, r - first, step.positions()[first], step.blockTables()[first]));
                first = r;
            }
        }
        return runs.toArray(MlaSequence[]::new);
    }
}
