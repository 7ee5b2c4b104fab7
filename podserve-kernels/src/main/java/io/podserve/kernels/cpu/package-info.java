/**
 * The CPU backend: Vector API kernels with plain scalar references beside them, run on all cores
 * by a fixed worker pool with a low-overhead parallel-for.
 */
package io.podserve.kernels.cpu;
