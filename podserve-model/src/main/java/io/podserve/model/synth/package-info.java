/**
 * Random-weight checkpoints with the real shapes of published models, so kernels, units and
 * serving can be benchmarked on real-size layers without downloading weights.
 */
package io.podserve.model.synth;
