package io.podserve.kernels.mla;

/**
 * One sequence's share of a batch: its query rows are the consecutive batch rows
 * {@code [firstRow, firstRow + numRows)}, at positions {@code [firstPosition, firstPosition + numRows)}.
 * A prefill chunk has many rows, a decode step one. Query row {@code i} attends causally to the
 * cached tokens {@code [0, firstPosition + i]}, which must all be written before the attention runs.
 *
 * @param firstRow      the sequence's first row in the batch
 * @param numRows       its query rows in this batch, ≥ 1
 * @param firstPosition position of its first query row in the sequence
 * @param blocks        block table: the cache pages of the sequence in logical order; token
 *                      {@code t} lives at page {@code blocks[t / blockSize]}, slot {@code t % blockSize}
 */
public record MlaSequence(int firstRow, int numRows, int firstPosition, int[] blocks) {

    public MlaSequence {
        if (firstRow < 0 || numRows < 1 || firstPosition < 0) {
            throw new IllegalArgumentException("need firstRow >= 0, numRows >= 1, firstPosition >= 0, got "
                    + firstRow + ", " + numRows + ", " + firstPosition);
        }
    }

    /** Tokens in the cache once this step's rows are written: the last row's context length. */
    public int contextLength() {
        return firstPosition + numRows;
    }
}
