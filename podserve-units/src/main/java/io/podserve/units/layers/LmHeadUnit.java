package io.podserve.units.layers;

import java.lang.foreign.MemorySegment;

import io.podserve.kernels.Backend;
import io.podserve.kernels.Weights;
import io.podserve.units.Activation.Hidden;
import io.podserve.units.Step;
import io.podserve.units.Unit;

/**
 * Normed hidden rows to logits: {@code lm_head}, or the embedding matrix when the config ties
 * them. Owned by the executor thread.
 */
public final class LmHeadUnit implements Unit<Hidden, Hidden> {
    private final Backend backend;
    private final Weights lmHead; // [vocab, hidden]
    private final Scratch scratch = new Scratch(1);

    public LmHeadUnit(Backend backend, Weights lmHead) {
        this.backend = backend;
        this.lmHead = lmHead;
    }

    @Override
    public Hidden forward(Step step, Hidden x) {
        MemorySegment logits = scratch.floats(0, (long) x.rows() * lmHead.rows());
        backend.matmul(x.data(), lmHead, logits, x.rows());
        return new Hidden(logits, x.rows(), lmHead.rows());
    }

    @Override
    public String name() {
        return "lm_head";
    }
}
