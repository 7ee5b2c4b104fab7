package io.podserve.units.model;

import java.util.Arrays;

/**
 * One sequence's KV state: how many tokens the cache holds for it and the pages they live in
 * (its block table). Passed into every step that runs it; units never keep it. Owned by the
 * executor thread.
 */
public final class Sequence {
    private int[] blockTable = new int[4];
    private int numBlocks;
    private int length;

    /** Tokens already in the KV cache: the next token's position. */
    public int length() {
        return length;
    }

    /** The block table; valid entries are the first {@link #numBlocks()}. */
    public int[] blockTable() {
        return blockTable;
    }

    public int numBlocks() {
        return numBlocks;
    }

    void addBlock(int page) {
        if (numBlocks == blockTable.length) {
            blockTable = Arrays.copyOf(blockTable, 2 * numBlocks);
        }
        blockTable[numBlocks++] = page;
    }

    int[] takeBlocks() {
        int[] taken = Arrays.copyOf(blockTable, numBlocks);
        numBlocks = 0;
        length = 0;
        return taken;
    }

    void advance(int tokens) {
        length += tokens;
    }
}
