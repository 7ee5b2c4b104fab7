package io.podserve.units;

/**
 * One piece of a transformer step that may run in a process of its own: it takes its input
 * activations and the step description and returns its output activations. Per-sequence state
 * (positions, block tables, KV pages) comes in through the {@link Step}; a unit keeps only its
 * weights and reusable scratch.
 *
 * <p>The returned activation may view the unit's scratch or its (modified) input: it stays valid
 * until the unit's next call. Owned by one thread at a time (the executor's).
 *
 * @param <I> input activation type
 * @param <O> output activation type
 */
public interface Unit<I extends Activation, O extends Activation> {

    /** Runs the unit on one step's batch. */
    O forward(Step step, I input);

    /** A readable name for errors and placement plans, such as {@code layers.3.attention}. */
    String name();
}
