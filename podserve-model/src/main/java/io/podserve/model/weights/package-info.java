/** Memory-mapped safetensors weights: single-file, sharded and FP8 block-scaled checkpoints. */
package io.podserve.model.weights;
