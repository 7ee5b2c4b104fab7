/**
 * The units of a decoder layer and the model's ends: embedding, attention, dense MLP, MoE router and
 * experts, final norm, LM head; each reads its input activations and the step, and owns its scratch.
 */
package io.podserve.units.layers;
