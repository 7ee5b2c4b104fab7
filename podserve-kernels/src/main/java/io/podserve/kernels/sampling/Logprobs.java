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

    /** {@code log Σ exp(logit)}, shifted by the max so nothing overflows; summed in double. */
    private static double logSumExp(MemorySegment logits, long offset, int vocab) {
        float max = LogitRow.max(logits, offset, vocab);
        double sum = 0;
        for (int i = 0; i < vocab; i++) {
            sum += Math.exp((double) LogitRow.get(logits, offset, i) - max);
        }
        return max + Math.log(sum);
    }

    /** The {@code k} largest logits into {@code heap[0, k)}, descending; returns k. */
    private int selectTop(MemorySegment logits, long offset, int vocab, int k) {
        if (heap.length < k) {
            heap = new long[k];
        }
        int size = 0;
        for (int i = 0; i < vocab && k > 0; i++) {
            size = KeyHeap.offer(heap, size, k, TokenKey.of(LogitRow.get(logits, offset, i), i));
        }
        KeyHeap.sortDescending(heap, size);
        return size;
    }
}
