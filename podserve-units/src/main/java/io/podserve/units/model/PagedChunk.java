package io.podserve.units.model;

/**
 * One sequence's part of a step, with its KV state given explicitly: the caller (the serving
 * engine's block manager) owns the block table and knows which positions are already cached.
 * Tokens occupy positions {@code [start, start + tokens.length)}; the block table must already
 * cover them.
 *
 * @param blockTable   the sequence's KV pages, in position order (entries past the covered positions are ignored)
 * @param start        position of the first token; earlier positions' KV is in the pages
 * @param tokens       token ids, at least one
 * @param numLogitRows logits wanted for the chunk's last rows: 0, 1, or every row
 */
public record PagedChunk(int[] blockTable, int start, int[] tokens, int numLogitRows) {

    public PagedChunk {
        if (tokens.length == 0) {
            throw new IllegalArgumentException("a chunk needs at least one token");
        }
        if (start < 0) {
            throw new IllegalArgumentException("a chunk starts at a position >= 0, got " + start);
        }
        if (numLogitRows < 0 || numLogitRows > tokens.length) {
            throw new IllegalArgumentException("logit rows must be in [0, " + tokens.length + "], got " + numLogitRows);
        }
    }

    /** Position one past the chunk's last token. */
    public int end() {
        return start + tokens.length;
    }
}
