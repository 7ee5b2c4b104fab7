package io.podserve.model.tokenizer;

import java.util.Arrays;

/**
 * BPE merge rules: (left id, right id) to (rank, merged id), in an open-addressing table of
 * primitive longs, because the merge loop looks up every adjacent pair of every new word.
 */
final class MergeTable {
    /** What {@link #get} returns for a pair that has no merge rule. */
    static final long NONE = -1L;

    private static final long EMPTY = -1L;

    private final long[] keys;
    private final long[] values;
    private final int mask;
    private int size;

    MergeTable(int expectedRules) {
        int capacity = Integer.highestOneBit(Math.max(expectedRules, 8) * 2 - 1) << 1;
        keys = new long[capacity];
        values = new long[capacity];
        mask = capacity - 1;
        Arrays.fill(keys, EMPTY);
    }

    /** Adds or replaces the rule for a pair; a later rule for the same pair wins, as in HF. */
    void put(int left, int right, int rank, int mergedId) {
        if (size * 2 >= keys.length) {
            throw new IllegalStateException("merge table is full; size it for all rules");
        }
        long key = key(left, right);
        int slot = slot(key);
        while (keys[slot] != EMPTY && keys[slot] != key) {
            slot = (slot + 1) & mask;
        }
        if (keys[slot] == EMPTY) {
            size++;
        }
        keys[slot] = key;
        values[slot] = ((long) rank << 32) | (mergedId & 0xFFFFFFFFL);
    }

    /** The packed rule for a pair (see {@link #rank} and {@link #mergedId}), or {@link #NONE}. */
    long get(int left, int right) {
        long key = key(left, right);
        int slot = slot(key);
        while (true) {
            long found = keys[slot];
            if (found == key) {
                return values[slot];
            }
            if (found == EMPTY) {
                return NONE;
            }
            slot = (slot + 1) & mask;
        }
    }

    static int rank(long rule) {
        return (int) (rule >>> 32);
    }

    static int mergedId(long rule) {
        return (int) rule;
    }

    private static long key(int left, int right) {
        return ((long) left << 32) | (right & 0xFFFFFFFFL);
    }

    private int slot(long key) {
        long h = key * 0x9E3779B97F4A7C15L;
        return (int) (h ^ (h >>> 29)) & mask;
    }
}
