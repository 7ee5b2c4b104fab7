package io.podserve.units.layers;

import java.lang.foreign.MemorySegment;

import io.podserve.kernels.Backend;
import io.podserve.kernels.Weights;
import io.podserve.units.Activation.Hidden;
import io.podserve.units.Step;
import io.podserve.units.Unit;

/** The model's final RMSNorm ({@code model.norm}) over the rows whose logits are wanted. Owned by the executor thread. */
public final class FinalNormUnit implements Unit<Hidden, Hidden> {
    private final Backend backend;
    private final Weights norm; // [1, hidden]
    private final float eps;
    private final Scratch scratch = new Scratch(1);

    public FinalNormUnit(Backend backend, Weights norm, float eps) {
        this.backend = backend;
        this.norm = norm;
        this.eps = eps;
    }

    @Override
    public Hidden forward(Step step, Hidden x) {
        MemorySegment out = scratch.floats(0, (long) x.rows() * x.cols());
        backend.rmsNorm(x.data(), norm, out, x.rows(), x.cols(), eps);
        return new Hidden(out, x.rows(), x.cols());
    }

    @Override
    public String name() {
        return "norm";
    }
}
