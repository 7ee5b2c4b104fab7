package io.podserve.engine.kv;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.Map;

/**
 * Hands out KV-cache blocks of {@code blockSize} tokens to sequences, shares full blocks between
 * sequences with equal prefixes (prefix caching), and reclaims them.
 *
 * <p>Every block is in exactly one of three states: <b>in use</b> (reference count ≥ 1, in the
 * tables of that many sequences), <b>free and cached</b> (count 0, still holding a full block's
 * KV under its hash, reusable by a prefix hit), or <b>free</b> (count 0, no hash). Free blocks of
 * both kinds wait in one queue.
 *
 * <p>Eviction order (NOTE: vLLM v1's): allocation takes the head of the free queue; a freed
 * sequence appends its blocks to the tail <em>last block first</em>, so between two cached
 * prefixes the older is evicted first, and within one the tail (least likely to be shared) goes
 * before the head. A prefix hit on a free cached block takes it out of the queue. Taking a cached
 * block from the head for reuse drops its hash.
 *
 * <p>Ranges of tokens are half-open. Owned by the engine thread; not thread-safe.
 */
public final class BlockManager {
    private final int numBlocks;
    private final int blockSize;
    private final boolean prefixCaching;
    private final int[] refCount; // [numBlocks]
    private final long[] hashOf; // [numBlocks]; meaningful where hashed[b]
    private final boolean[] hashed; // [numBlocks]
    private final int[][] tokensOf; // [numBlocks][blockSize] for hashed blocks: guards against hash collisions
    private final Map<Long, Integer> blockByHash = new HashMap<>();
    private final LinkedHashSet<Integer> freeQueue = new LinkedHashSet<>();
    private final Map<Long, Allocation> sequences = new HashMap<>();
    private long numQueriedTokens;
    private long numHitTokens;

    /** One sequence's blocks and how many of them are registered in the prefix cache. */
    private static final class Allocation {
        int[] blocks = new int[4];
        int numBlocks;
        int numHashedBlocks;
        long lastHash = BlockHasher.ROOT;

        void add(int block) {
            if (numBlocks == blocks.length) {
                blocks = Arrays.copyOf(blocks, numBlocks * 2);
            }
            blocks[numBlocks++] = block;
        }
    }

    public BlockManager(int numBlocks, int blockSize, boolean prefixCaching) {
        if (numBlocks <= 0 || blockSize <= 0) {
            throw new IllegalArgumentException("need numBlocks, blockSize > 0, got " + numBlocks + ", " + blockSize);
        }
        this.numBlocks = numBlocks;
        this.blockSize = blockSize;
        this.prefixCaching = prefixCaching;
        this.refCount = new int[numBlocks];
        this.hashOf = new long[numBlocks];
        this.hashed = new boolean[numBlocks];
        this.tokensOf = new int[numBlocks][];
        for (int b = 0; b < numBlocks; b++) {
            freeQueue.add(b);
        }
    }

    public int blockSize() {
        return blockSize;
    }

    public int numBlocks() {
        return numBlocks;
    }

    /** Blocks that an allocation may take now (free, cached or not). */
    public int numFreeBlocks() {
        return freeQueue.size();
    }

    /** Fraction of blocks in use, as vLLM's kv_cache_usage_perc reports it (0..1). */
    public double usage() {
        return 1.0 - (double) freeQueue.size() / numBlocks;
    }

    /** Prompt tokens looked up in the prefix cache so far, and how many of them hit. */
    public long numQueriedTokens() {
        return numQueriedTokens;
    }

    public long numHitTokens() {
        return numHitTokens;
    }

    /** Blocks needed to hold {@code numTokens} tokens. */
    public int blocksFor(int numTokens) {
        return Math.ceilDiv(numTokens, blockSize);
    }

    /**
     * Admits a new sequence: shares the cached blocks of the longest cached prefix of its first
     * {@code numTokens} tokens and returns how many tokens they hold (whole blocks, always fewer
     * than {@code numTokens}, so at least one token is computed and yields logits).
     */
    public int admit(long seqId, int[] tokens, int numTokens) {
        if (sequences.containsKey(seqId)) {
            throw new IllegalStateException("sequence " + seqId + " is already admitted");
        }
        Allocation a = new Allocation();
        sequences.put(seqId, a);
        if (!prefixCaching) {
            return 0;
        }
        numQueriedTokens += numTokens;
        int maxBlocks = (numTokens - 1) / blockSize;
        for (int i = 0; i < maxBlocks; i++) {
            long h = BlockHasher.hash(a.lastHash, tokens, i * blockSize, blockSize);
            Integer block = blockByHash.get(h);
            if (block == null || !Arrays.equals(tokensOf[block], 0, blockSize, tokens, i * blockSize, (i + 1) * blockSize)) {
                break;
            }
            if (refCount[block]++ == 0) {
                freeQueue.remove(block);
            }
            a.add(block);
            a.numHashedBlocks++;
            a.lastHash = h;
        }
        int hit = a.numBlocks * blockSize;
        numHitTokens += hit;
        return hit;
    }

    /** Whether {@link #allocate} can grow the sequence to hold {@code numTokens} tokens now. */
    public boolean canAllocate(long seqId, int numTokens) {
        return blocksFor(numTokens) - allocation(seqId).numBlocks <= freeQueue.size();
    }

    /**
     * Grows the sequence's blocks to hold {@code numTokens} tokens; returns false, changing
     * nothing, when too few blocks are free.
     */
    public boolean allocate(long seqId, int numTokens) {
        if (!canAllocate(seqId, numTokens)) {
            return false;
        }
        Allocation a = allocation(seqId);
        while (a.numBlocks < blocksFor(numTokens)) {
            a.add(takeFreeBlock());
        }
        return true;
    }

    /**
     * Registers in the prefix cache every block of the sequence that {@code numComputedTokens}
     * has filled and computed; {@code tokens} holds at least that many of its tokens.
     */
    public void cacheFullBlocks(long seqId, int[] tokens, int numComputedTokens) {
        if (!prefixCaching) {
            return;
        }
        Allocation a = allocation(seqId);
        int full = Math.min(numComputedTokens / blockSize, a.numBlocks);
        for (int i = a.numHashedBlocks; i < full; i++) {
            long h = BlockHasher.hash(a.lastHash, tokens, i * blockSize, blockSize);
            int block = a.blocks[i];
            if (!blockByHash.containsKey(h)) { // an equal block already cached stays the canonical one
                blockByHash.put(h, block);
                hashed[block] = true;
                hashOf[block] = h;
                tokensOf[block] = Arrays.copyOfRange(tokens, i * blockSize, (i + 1) * blockSize);
            }
            a.lastHash = h;
            a.numHashedBlocks = i + 1;
        }
    }

    /** The sequence's block table: block ids in token order. */
    public int[] blockTable(long seqId) {
        Allocation a = allocation(seqId);
        return Arrays.copyOf(a.blocks, a.numBlocks);
    }

    /** Releases the sequence's blocks; cached ones stay reusable until evicted. */
    public void free(long seqId) {
        Allocation a = sequences.remove(seqId);
        if (a == null) {
            throw new IllegalStateException("sequence " + seqId + " holds no blocks");
        }
        for (int i = a.numBlocks - 1; i >= 0; i--) { // last block first: see the eviction order above
            int block = a.blocks[i];
            if (--refCount[block] == 0) {
                freeQueue.add(block);
            }
        }
    }

    public boolean holds(long seqId) {
        return sequences.containsKey(seqId);
    }

    private int takeFreeBlock() {
        Iterator<Integer> head = freeQueue.iterator();
        int block = head.next();
        head.remove();
        if (hashed[block]) {
            blockByHash.remove(hashOf[block], block);
            hashed[block] = false;
            tokensOf[block] = null;
        }
        refCount[block] = 1;
        return block;
    }

    private Allocation allocation(long seqId) {
        Allocation a = sequences.get(seqId);
        if (a == null) {
            throw new IllegalStateException("sequence " + seqId + " is not admitted");
        }
        return a;
    }

    /**
     * Asserts the invariants: reference counts equal table occurrences; a block is free iff its
     * count is 0; the hash map and the hashed flags agree. Tests call it after every step.
     */
    public void checkIntegrity() {
        int[] seen = new int[numBlocks];
        for (Allocation a : sequences.values()) {
            for (int i = 0; i < a.numBlocks; i++) {
                seen[a.blocks[i]]++;
            }
        }
        for (int b = 0; b < numBlocks; b++) {
            check(seen[b] == refCount[b], "block " + b + " is in " + seen[b] + " tables but counted " + refCount[b]);
            check((refCount[b] == 0) == freeQueue.contains(b), "block " + b + " count " + refCount[b]
                    + (freeQueue.contains(b) ? " is" : " is not") + " in the free queue");
            check(!hashed[b] || blockByHash.get(hashOf[b]) == b, "block " + b + " is hashed but not cached");
        }
        blockByHash.forEach((h, b) -> check(hashed[b] && hashOf[b] == h, "cache entry for block " + b + " is stale"));
    }

    private static void check(boolean ok, String problem) {
        if (!ok) {
            throw new IllegalStateException("KV block manager: " + problem);
        }
    }
}
