package io.podserve.units.placement;

import io.podserve.units.Activation;
import io.podserve.units.Step;
import io.podserve.units.Unit;

/**
 * How the executor reaches a unit: every activation crossing a unit boundary goes through
 * {@link #call}, so a placement decides whether it stays in memory or travels. Results must not
 * depend on the placement, bit for bit. Owned by the executor thread.
 */
public interface Placement {

    /** Runs {@code unit} on {@code input} for {@code step} and returns its output. */
    <I extends Activation, O extends Activation> O call(Unit<I, O> unit, Step step, I input);
}
