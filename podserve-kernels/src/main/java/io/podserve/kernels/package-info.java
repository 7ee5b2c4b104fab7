/**
 * The math of a transformer step behind a backend interface: matmul over float and quantized
 * weights, norms, activations, rotary embeddings. The CPU backend implements it with the Vector API.
 */
package io.podserve.kernels;
