/** Token sampling from f32 logit rows: greedy, temperature, top-k, top-p, min-p, and logprobs. */
package io.podserve.kernels.sampling;
