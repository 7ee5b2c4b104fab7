/**
 * Paged attention's data: the per-layer KV cache of fixed-size pages, and the shape of an
 * attention (heads, KV heads, sliding window); the CPU kernels live in {@code cpu.AttentionKernel}.
 */
package io.podserve.kernels.attention;
