/**
 * A whole model assembled from units: weights loaded from a checkpoint (optionally quantized), KV (or
 * MLA latent) pages and a minimal block allocator, and the step that runs a mixed batch through a
 * placement.
 */
package io.podserve.units.model;
