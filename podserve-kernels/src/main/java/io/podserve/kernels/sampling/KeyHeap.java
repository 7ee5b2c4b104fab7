package io.podserve.kernels.sampling;

/**
 * An in-place binary min-heap over {@link TokenKey} longs: bounded top-k selection in
 * O(vocab · log k) and heap sort of a candidate set, with no allocation.
 */
final class KeyHeap {
    private KeyHeap() {
    }

    /**
     * Offers {@code key} to a heap that keeps the {@code k} largest keys seen; returns the new size.
     * Most keys lose against the root, so the common case is one comparison.
     */
    static int offer(long[] heap, int size, int k, long key) {
        if (size < k) {
            heap[size] = key;
            siftUp(heap, size);
            return size + 1;
        }
        if (key > heap[0]) {
            heap[0] = key;
            siftDown(heap, 0, size);
        }
        return size;
    }

    /** Turns {@code a[0, n)} into a min-heap. */
    static void heapify(long[] a, int n) {
        for (int i = n / 2 - 1; i >= 0; i--) {
            siftDown(a, i, n);
        }
    }

    /** Sorts the min-heap {@code a[0, n)} into descending order: each step parks the minimum at the end. */
    static void sortDescending(long[] a, int n) {
        for (int end = n - 1; end > 0; end--) {
            long min = a[0];
            a[0] = a[end];
            a[end] = min;
            siftDown(a, 0, end);
        }
    }

    private static void siftUp(long[] a, int i) {
        long key = a[i];
        while (i > 0) {
            int parent = (i - 1) >>> 1;
            if (a[parent] <= key) {
                break;
            }
            a[i] = a[parent];
            i = parent;
        }
        a[i] = key;
    }

    private static void siftDown(long[] a, int i, int n) {
        long key = a[i];
        int child;
        while ((child = 2 * i + 1) < n) {
            if (child + 1 < n && a[child + 1] < a[child]) {
                child++;
            }
            if (key <= a[child]) {
                break;
            }
            a[i] = a[child];
            i = child;
        }
        a[i] = key;
    }
}
