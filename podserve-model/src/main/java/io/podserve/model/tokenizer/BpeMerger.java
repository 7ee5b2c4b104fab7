package io.podserve.model.tokenizer;

import java.util.Arrays;

/**
 * Applies BPE merges to one word's symbols: repeatedly merges the adjacent pair with the lowest
 * rank, the leftmost one on ties, until no pair has a rule. The symbols form a linked list over
 * arrays and the candidate pairs sit in a binary min-heap of packed (rank, position) longs, so a
 * word of n symbols takes O(n log n) with no object per symbol.
 */
final class BpeMerger {
    private final int[] ids;
    private final int[] prev;
    private final int[] next;
    private final MergeTable merges;
    private long[] heap;
    private int heapSize;

    private BpeMerger(int[] ids, int count, MergeTable merges) {
        this.ids = ids;
        this.merges = merges;
        this.prev = new int[count];
        this.next = new int[count];
        this.heap = new long[count];
        for (int i = 0; i < count; i++) {
            prev[i] = i - 1;
            next[i] = i + 1 < count ? i + 1 : -1;
            if (i + 1 < count) {
                queuePair(i, i + 1);
            }
        }
    }

    /**
     * Merges {@code ids[0..count)} in place and returns how many symbols remain, compacted at the
     * front of {@code ids}.
     */
    static int merge(int[] ids, int count, MergeTable merges) {
        if (count < 2) {
            return count;
        }
        new BpeMerger(ids, count, merges).run();
        return compact(ids, count);
    }

    private void run() {
        while (heapSize > 0) {
            long top = pop();
            int pos = (int) top;
            int right = ids[pos] < 0 ? -1 : next[pos];
            if (right < 0) {
                continue; // merged away, or nothing on its right any more
            }
            long rule = merges.get(ids[pos], ids[right]);
            // Skip a stale entry: the pair at pos has changed since it was queued.
            if (rule != MergeTable.NONE && MergeTable.rank(rule) == (int) (top >>> 32)) {
                mergeAt(pos, right, MergeTable.mergedId(rule));
            }
        }
    }

    private void mergeAt(int pos, int right, int mergedId) {
        ids[pos] = mergedId;
        ids[right] = -1;
        int after = next[right];
        next[pos] = after;
        if (after >= 0) {
            prev[after] = pos;
            queuePair(pos, after);
        }
        if (prev[pos] >= 0) {
            queuePair(prev[pos], pos);
        }
    }

    private void queuePair(int left, int right) {
        long rule = merges.get(ids[left], ids[right]);
        if (rule != MergeTable.NONE) {
            push(((long) MergeTable.rank(rule) << 32) | left);
        }
    }

    private void push(long entry) {
        if (heapSize == heap.length) {
            heap = Arrays.copyOf(heap, heap.length * 2 + 2);
        }
        int i = heapSize++;
        while (i > 0 && heap[(i - 1) >>> 1] > entry) {
            heap[i] = heap[(i - 1) >>> 1];
            i = (i - 1) >>> 1;
        }
        heap[i] = entry;
    }

    private long pop() {
        long top = heap[0];
        long last = heap[--heapSize];
        int i = 0;
        while (2 * i + 1 < heapSize) {
            int child = 2 * i + 1;
            if (child + 1 < heapSize && heap[child + 1] < heap[child]) {
                child++;
            }
            if (heap[child] >= last) {
                break;
            }
            heap[i] = heap[child];
            i = child;
        }
        heap[i] = last;
        return top;
    }

    private static int compact(int[] ids, int count) {
        int kept = 0;
        for (int i = 0; i < count; i++) {
            if (ids[i] >= 0) {
                ids[kept++] = ids[i];
            }
        }
        return kept;
    }
}
