/**
 * The units of each architecture — embedding, attention, dense MLP, router, experts, final norm
 * and LM head — batch in, batch out, with per-sequence state (KV pages, positions) passed in.
 *
 * <p>A {@link io.podserve.units.Unit} maps one {@link io.podserve.units.Activation} to another for
 * a {@link io.podserve.units.Step}; {@code model.Model} chains them through a
 * {@code placement.Placement}, which may keep activations in memory or serialize them across each
 * boundary; {@code check.ModelCheck} compares a model with transformers' reference logits.
 */
package io.podserve.units;
