package io.podserve.kernels.sampling;

import java.lang.foreign.MemorySegment;

/**
 * The k largest logits of a row, most likely first, ties to the lower id. A bounded min-heap holds the
 * best k so far; whole vectors of logits that cannot beat its root are skipped with one compare, so
 * for small k the cost is close to one read of the row. Used by top-k sampling and by top-n logprobs.
 */
final class TopK {
    private TopK() {
    }

    /** Fills {@code heap[0, k)} (which must hold k) with {@link TokenKey}s in descending order; returns k. */
    static int select(MemorySegment logits, long offset, int vocab, int k, long[] heap) {
        int size = 0;
        int i = 0;
        for (; i < k; i++) { // the first k always enter
            size = KeyHeap.offer(heap, size, k, TokenKey.of(LogitRow.get(logits, offset, i), i));
        }
        // NOTE: a later token equal to the root's logit has a higher id, so it loses the tie: strict > is exact.
        for (; i < vocab; i++) {
            if (i % RowExp.lanes() == 0 && i + RowExp.lanes() <= vocab
                    && !RowExp.anyAbove(logits, offset, i, TokenKey.value(heap[0]))) {
                i += RowExp.lanes() - 1; // the whole vector is at or below the root
                continue;
            }
            size = KeyHeap.offer(heap, size, k, TokenKey.of(LogitRow.get(logits, offset, i), i));
        }
        KeyHeap.sortDescending(heap, size);
        return size;
    }
}
