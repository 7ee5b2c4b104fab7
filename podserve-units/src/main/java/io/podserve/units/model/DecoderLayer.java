package io.podserve.units.model;

import io.podserve.units.Activation.Hidden;
import io.podserve.units.Activation.Routed;
import io.podserve.units.Step;
import io.podserve.units.Unit;
import io.podserve.units.layers.DenseMlpUnit;
import io.podserve.units.layers.ExpertsUnit;
import io.podserve.units.layers.RouterUnit;
import io.podserve.units.placement.Placement;

/**
 * One decoder layer's units: attention, then either a dense MLP or an MoE router and its experts.
 * Held by their unit interfaces, so another attention (DeepSeek's MLA) or expert implementation
 * slots in without touching the executor. Immutable; the units are owned by the executor thread.
 */
record DecoderLayer(Unit<Hidden, Hidden> attention, Unit<Hidden, Hidden> mlp, Unit<Hidden, Routed> router,
        Unit<Routed, Hidden> experts) {

    static DecoderLayer dense(Unit<Hidden, Hidden> attention, DenseMlpUnit mlp) {
        return new DecoderLayer(attention, mlp, null, null);
    }

    static DecoderLayer moe(Unit<Hidden, Hidden> attention, RouterUnit router, ExpertsUnit experts) {
        return new DecoderLayer(attention, null, router, experts);
    }

    /** The residual stream through this layer, each unit reached through {@code placement}. */
    Hidden forward(Placement placement, Step step, Hidden x) {
        Hidden h = placement.call(attention, step, x);
        if (mlp != null) {
            return placement.call(mlp, step, h);
        }
        return placement.call(experts, step, placement.call(router, step, h));
    }
}
