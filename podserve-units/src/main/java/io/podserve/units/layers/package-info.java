/**
 * The units of a decoder layer and the model's ends: embedding, attention (paged K/V, or DeepSeek's
 * multi-head latent attention over a latent cache), dense MLP, MoE router and experts (with shared
 * experts), final norm, LM head; each reads its input activations and the step, and owns its scratch.
 */
package io.podserve.units.layers;
