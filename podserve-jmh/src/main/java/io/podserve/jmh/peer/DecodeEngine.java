package io.podserve.jmh.peer;

/**
 * One sequence through one engine, greedy: prefill a prompt, then feed back each chosen token.
 * Implementations own a loaded model; {@link #close} frees it. Single-threaded callers only.
 */
interface DecodeEngine extends AutoCloseable {
    /** Short name for the report. */
    String name();

    /** Starts a fresh sequence with {@code prompt} in one forward pass; returns the greedy next token. */
    int prefill(int[] prompt);

    /** Appends {@code token} to the sequence; returns the greedy next token. */
    int decode(int token);

    /** Drops the current sequence and its KV cache. */
    void reset();

    @Override
    void close();
}
