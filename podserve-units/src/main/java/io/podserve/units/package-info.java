/**
 * The units of each architecture — embedding, attention, dense MLP, router, experts, final norm
 * and LM head — batch in, batch out, with per-sequence state (KV pages, positions) passed in.
 */
package io.podserve.units;
