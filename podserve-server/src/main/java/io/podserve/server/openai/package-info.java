/**
 * OpenAI's wire shapes: request fields read and checked by name (every error names its field),
 * prompts rendered and tokenized, and response objects and stream chunks built as OpenAI sends them.
 */
package io.podserve.server.openai;
