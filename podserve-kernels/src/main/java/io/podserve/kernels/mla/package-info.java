/**
 * DeepSeek-V3's multi-head latent attention in the weight-absorbed form, over a paged cache that
 * holds one normalized latent and one rotated rope key per token.
 */
package io.podserve.kernels.mla;
