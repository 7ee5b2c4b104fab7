package io.podserve.engine.kv;

import org.junit.jupiter.api.Test;

import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.*;

class BlockManagerTest {
    private static int[] tokens(int n, int seed) {
        return IntStream.range(0, n).map(i -> (i * 31 + seed) % 1000).toArray();
    }

    @Test
    void allocatesWholeBlocksAndRefusesWithoutChange() {
        BlockManager kv = new BlockManager(4, 16, false);
        kv.admit(1, tokens(40, 0), 40);
        assertTrue(kv.allocate(1, 40));
        assertEquals(3, kv.blockTable(1).length);
        kv.admit(2, tokens(40, 1), 40);
        assertFalse(kv.allocate(2, 17), "needs 2 blocks, 1 free");
        assertEquals(0, kv.blockTable(2).length);
        assertTrue(kv.allocate(2, 16));
        kv.checkIntegrity();
        kv.free(1);
        kv.free(2);
        assertEquals(4, kv.numFreeBlocks());
        kv.checkIntegrity();
    }

    @Test
    void prefixHitSharesFullComputedBlocks() {
        BlockManager kv = new BlockManager(16, 4, true);
        int[] a = tokens(10, 0);
        kv.admit(1, a, 10);
        kv.allocate(1, 10);
        kv.cacheFullBlocks(1, a, 10); // blocks [0,4) and [4,8) are full
        int[] b = a.clone();
        b[9] = 999; // same first 9 tokens
        assertEquals(8, kv.admit(2, b, 10), "two full blocks shared");
        assertArrayEquals(java.util.Arrays.copyOf(kv.blockTable(1), 2), kv.blockTable(2));
        kv.checkIntegrity();
        assertEquals(20, kv.numQueriedTokens());
        assertEquals(8, kv.numHitTokens());
    }

    @Test
    void aHitNeverCoversTheWholePrompt() {
        BlockManager kv = new BlockManager(16, 4, true);
        int[] a = tokens(8, 0);
        kv.admit(1, a, 8);
        kv.allocate(1, 8);
        kv.cacheFullBlocks(1, a, 8);
        assertEquals(4, kv.admit(2, a, 8), "the last token is always computed, so it has logits");
    }

    @Test
    void freedCachedBlocksStayReusableUntilEvictedOldestFirst() {
        BlockManager kv = new BlockManager(4, 4, true);
        int[] a = tokens(9, 0);
        kv.admit(1, a, 9);
        kv.allocate(1, 9);
        kv.cacheFullBlocks(1, a, 9);
        kv.free(1);
        assertEquals(4, kv.numFreeBlocks());
        assertEquals(8, kv.admit(2, a, 9), "still cached after free");
        kv.free(2);
        // Free queue now [3, 2, 1, 0]: the unhashed blocks, then the prefix's tail block 1 before
        // its head block 0. A new sequence taking 3 blocks evicts 1 but not 0.
        int[] c = tokens(12, 5);
        kv.admit(3, c, 12);
        kv.allocate(3, 12);
        kv.checkIntegrity();
        kv.free(3);
        assertEquals(4, kv.admit(4, a, 9), "the tail block was evicted, the head block still hits");
        kv.checkIntegrity();
    }

    @Test
    void integrityCheckCatchesADoubleFree() {
        BlockManager kv = new BlockManager(4, 4, false);
        kv.admit(1, tokens(4, 0), 4);
        kv.allocate(1, 4);
        kv.free(1);
        var e = assertThrows(IllegalStateException.class, () -> kv.free(1));
        assertEquals("sequence 1 holds no blocks", e.getMessage());
    }
}
