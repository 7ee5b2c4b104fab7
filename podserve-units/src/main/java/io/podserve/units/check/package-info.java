/**
 * Checks a model against reference logits from Hugging Face transformers: prefill, teacher-forced
 * decode through the KV cache, and free greedy decoding.
 */
package io.podserve.units.check;
