/**
 * Hugging Face {@code tokenizer.json} BPE tokenizers (byte-level and SentencePiece style): text to
 * token ids and back, including streaming decode, matching the {@code tokenizers} library exactly.
 */
package io.podserve.model.tokenizer;
