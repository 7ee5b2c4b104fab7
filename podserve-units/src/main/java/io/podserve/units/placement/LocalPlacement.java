package io.podserve.units.placement;

import io.podserve.units.Activation;
import io.podserve.units.Step;
import io.podserve.units.Unit;

/** Every unit in this process: a direct call, activations passed by reference. Stateless. */
public final class LocalPlacement implements Placement {

    @Override
    public <I extends Activation, O extends Activation> O call(Unit<I, O> unit, Step step, I input) {
        return unit.forward(step, input);
    }
}
