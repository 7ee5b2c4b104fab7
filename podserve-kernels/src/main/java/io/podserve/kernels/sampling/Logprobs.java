package io.podserve.kernels.sampling;

import java.lang.foreign.MemorySegment;

/** Log-softmax of a raw logit row for the chosen token and the top-n; owns a reusable selection heap. */
final class Logprobs {
    private long[] heap = new long[0];

    LogprobResult compute(MemorySegment logits, long offset, int vocab, int token, int n) {
        if (token < 0 || token >= vocab) {
            throw new IllegalArgumentException("token must be in [0, " + vocab + "), got " + token);
        }
        double logSumExp = logSumExp(logits, offset, vocab);
        int count = selectTop(logits, offset, vocab, Math.min(n, vocab));
        int[] topTokens = new int[count];
        double[] topLogprobs = new double[count];
        for (int i = 0; i < count; i++) {
            topTokens[i] = TokenKey.token(heap[i]);
            topLogprobs[i] = TokenKey.value(heap[i]) - logSumExp;
        }
        return new LogprobResult(token, LogitRow.get(logits, offset, token) - logSumExp, topTokens, topLogprobs);
    }

    /** {@code log Σ exp(logit)}, shifted by the max so nothing overflows. */
    private static double logSumExp(MemorySegment logits, long offset, int vocab) {
        float max = RowExp.max(logits, offset, vocab);
        return max + Math.log(RowExp.exp(logits, offset, vocab, max, 1f, null));
    }

    /** The {@code k} largest logits into {@code heap[0, k)}, descending; returns k. */
    private int selectTop(MemorySegment logits, long offset, int vocab, int k) {
        if (heap.length < k) {
            heap = new long[k];
        }
        return k == 0 ? 0 : TopK.select(logits, offset, vocab, k, heap);
    }
}
