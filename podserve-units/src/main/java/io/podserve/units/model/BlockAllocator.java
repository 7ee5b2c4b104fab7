package io.podserve.units.model;

/**
 * A free list of KV page indices, enough for tests and the CLI; the serving engine's block manager
 * replaces it. Owned by the executor thread.
 */
public final class BlockAllocator {
    private final int blockSize;
    private final int[] free;
    private int numFree;

    public BlockAllocator(int numPages, int blockSize) {
        this.blockSize = blockSize;
        this.free = new int[numPages];
        for (int p = 0; p < numPages; p++) {
            free[p] = numPages - 1 - p; // hand out page 0 first
        }
        this.numFree = numPages;
    }

    public int blockSize() {
        return blockSize;
    }

    public int numFree() {
        return numFree;
    }

    /** Gives {@code sequence} pages until it can hold {@code tokens} tokens. */
    public void ensureCapacity(Sequence sequence, int tokens) {
        int needed = (tokens + blockSize - 1) / blockSize;
        if (needed - sequence.numBlocks() > numFree) {
            throw new IllegalStateException("out of KV pages: need " + (needed - sequence.numBlocks()) + ", "
                    + numFree + " free");
        }
        while (sequence.numBlocks() < needed) {
            sequence.addBlock(free[--numFree]);
        }
    }

    /** Returns the sequence's pages to the free list and empties it. */
    public void release(Sequence sequence) {
        for (int page : sequence.takeBlocks()) {
            free[numFree++] = page;
        }
    }
}
