package io.podserve.units.model;

/**
 * One sequence's part of a step: {@code tokens} appended at the sequence's current length (a
 * prefill chunk, or one decode token).
 *
 * @param sequence  whose KV state the tokens extend
 * @param tokens    token ids, at least one
 * @param allLogits return logits for every row of the chunk, not just its last
 */
public record Chunk(Sequence sequence, int[] tokens, boolean allLogits) {

    public Chunk {
        if (tokens.length == 0) {
            throw new IllegalArgumentException("a chunk needs at least one token");
        }
    }

    /** Rows of logits this chunk asks for. */
    public int logitRows() {
        return allLogits ? tokens.length : 1;
    }
}
