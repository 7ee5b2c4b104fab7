package io.podserve.units.model;

import io.podserve.units.Activation.Hidden;
import io.podserve.units.Step;
import io.podserve.units.layers.AttentionUnit;
import io.podserve.units.layers.DenseMlpUnit;
import io.podserve.units.layers.ExpertsUnit;
import io.podserve.units.layers.RouterUnit;
import io.podserve.units.placement.Placement;

/**
 * One decoder layer's units: attention, then either a dense MLP or an MoE router and its experts.
 * Immutable; the units it holds are owned by the executor thread.
 */
record DecoderLayer(AttentionUnit attention, DenseMlpUnit mlp, RouterUnit router, ExpertsUnit experts) {

    static DecoderLayer dense(AttentionUnit attention, DenseMlpUnit mlp) {
        return new DecoderLayer(attention, mlp, null, null);
    }

    static DecoderLayer moe(AttentionUnit attention, RouterUnit router, ExpertsUnit experts) {
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
