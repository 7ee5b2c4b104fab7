package io.podserve.model.tokenizer;

/**
 * Applies BPE merges to one word's symbols: repeatedly merges the adjacent pair with the lowest
 * rank, the leftmost one on ties, until no pair has a rule. The symbols form a linked list over
 * arrays and the candidate pairs sit in a binary heap of packed (rank, position) longs, so a word
 * of n symbols takes O(n log n) with no objects per symbol.
 */
final class BpeMerger {
    private BpeMerger() {}

    /**
     * Merges {@code ids[0..count)} in place and returns how many symbols remain, compacted at the
     * front of {@code ids}.
     */
    static int merge(int[] ids, int count, MergeTable merges) {
        if (count < 2) {
            return count;
        }
        int[] prev = new int[count];
        int[] next = new int[count];
        long[] heap = new long[count];
        int heapSize = 0;
        for (int i = 0; i < count; i++) {
            prev[i] = i - 1;
            next[i] = i + 1 < count ? i + 1 : -1;
            if (i + 1 < count) {
                heapSize = pushRule(heap, heapSize, merges.get(ids[i], ids[i + 1]), i);
            }
        }
        while (heapSize > 0) {
            long top = heap[0];
            heap[0] = heap[--heapSize];
            siftDown(heap, heapSize);
            int pos = (int) top;
            int right = ids[pos] < 0 ? -1 : next[pos];
            if (right < 0) {
                continue; // merged away, or nothing on the right any more
            }
            long rule = merges.get(ids[pos], ids[right]);
            // A stale entry: the pair at pos changed since it was queued.
            if (rule == MergeTable.NONE || MergeTable.rank(rule) != (int) (top >>> 32)) {
                continue;
            }
            ids[pos] = MergeTable.mergedId(rule);
            ids[right] = -1;
            int after = next[right];
            next[pos] = after;
            if (after >= 0) {
                prev[after] = pos;
                heap = ensureRoom(heap, heapSize + 2);
                heapSize = pushRule(heap, heapSize, merges.get(ids[pos], ids[after]), pos);
            }
            int before = prev[pos];
            if (before >= 0) {
                heap = ensureRoom(heap, heapSize + 1);
                heapSize = pushRule(heap, heapSize, merges.get(ids[before], ids[pos]), before);
            }
        }
        return compact(ids, count);
    }

    private static int pushRule(long[] heap, int size, long rule, int pos) {
        if (rule == MergeTable.NONE) {
            return size;
        }
        long entry = ((long) MergeTable.rank(rule) << 32) | pos;
        int i = size;
        while (i > 0) {
            int parent = (i - 1) >>> 1;
            if (heap[parent] <= entry) {
                break;
            }
            heap[i] = heap[parent];
            i = parent;
        }
        heap[i] = entry;
        return size + 1;
    }

    private static void siftDown(long[] heap, int size) {
        if (size == 0) {
            return;
        }
        long entry = heap[0];
        int i = 0;
        while (true) {
            int child = 2 * i + 1;
            if (child >= size) {
                break;
            }
            if (child + 1 < size && heap[child + 1] < heap[child]) {
                child++;
            }
            if (heap[child] >= entry) {
                break;
            }
            heap[i] = heap[child];
            i = child;
        }
        heap[i] = entry;
    }

    private static long[] ensureRoom(long[] heap, int needed) {
        return needed <= heap.length ? heap : java.util.Arrays.copyOf(heap, heap.length * 2 + 2);
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
