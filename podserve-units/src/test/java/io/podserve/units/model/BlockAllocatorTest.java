package io.podserve.units.model;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The free list hands out whole pages, takes them back on release, and refuses to overcommit. */
class BlockAllocatorTest {

    @Test
    void allocatesPagesForTokensAndReleasesThem() {
        BlockAllocator blocks = new BlockAllocator(5, 4);
        Sequence a = new Sequence();
        blocks.ensureCapacity(a, 9);
        assertEquals(3, a.numBlocks());
        blocks.ensureCapacity(a, 12);
        assertEquals(3, a.numBlocks());
        Sequence b = new Sequence();
        blocks.ensureCapacity(b, 8);
        assertEquals(0, blocks.numFree());
        assertThrows(IllegalStateException.class, () -> blocks.ensureCapacity(a, 13));
        blocks.release(a);
        assertEquals(3, blocks.numFree());
        assertEquals(0, a.numBlocks());
        assertEquals(0, a.length());
        blocks.ensureCapacity(b, 20);
        assertEquals(5, b.numBlocks());
    }
}
