/**
 * Mixture-of-Experts routing: from router logits to each token's chosen experts and combine weights,
 * in the variants of Qwen3-MoE, Mixtral, GPT-OSS and DeepSeek-V3 / Kimi-K2.
 */
package io.podserve.kernels.routing;
