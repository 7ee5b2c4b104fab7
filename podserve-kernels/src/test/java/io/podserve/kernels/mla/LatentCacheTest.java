package io.podserve.kernels.mla;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

import org.junit.jupiter.api.Test;

import static io.podserve.kernels.mla.LatentCache.F32;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Paging arithmetic and writes of {@link LatentCache}, worked by hand. */
class LatentCacheTest {

    @Test
    void tokensLandInTheirPageAndSlot() {
        try (Arena arena = Arena.ofConfined()) {
            LatentCache cache = new LatentCache(arena, 4, 4, 3, 2); // rows of 5 floats
            int[] blocks = {2, 0, 3};
            assertEquals(2 * 4 + 1, cache.slot(blocks, 1));
            assertEquals(0 * 4 + 3, cache.slot(blocks, 7));
            assertEquals(3 * 4 + 0, cache.slot(blocks, 8));
            assertEquals((long) 13 * 5 * 4, cache.slotOffset(13));

            // Rows 0-1: a sequence's positions 6 and 7; row 2 padding; row 3 another sequence's position 0.
            MlaSequence a = new MlaSequence(0, 2, 6, blocks);
            MlaSequence b = new MlaSequence(3, 1, 0, new int[] {1});
            int[] slots = cache.slotMapping(new MlaSequence[] {a, b}, 4);
            assertArrayEquals(new int[] {2, 3, -1, 4}, slots);

            MemorySegment rows = arena.allocate(4 * 5 * 4);
            for (int i = 0; i < 20; i++) {
                rows.setAtIndex(F32, i, i + 1);
            }
            cache.write(rows, 4, slots);
            assertEquals(1f, cache.data().getAtIndex(F32, 2 * 5)); // row 0 at slot 2
            assertEquals(6f, cache.data().getAtIndex(F32, 3 * 5)); // row 1 at slot 3
            assertEquals(16f, cache.data().getAtIndex(F32, 4 * 5)); // row 3 at slot 4
            assertEquals(0f, cache.data().getAtIndex(F32, 5 * 5)); // nothing else written
            assertEquals(10f, cache.data().getAtIndex(F32, 3 * 5 + 4));
        }
    }

    @Test
    void rejectsSlotsBeyondTheCache() {
        try (Arena arena = Arena.ofConfined()) {
            LatentCache cache = new LatentCache(arena, 2, 4, 3, 2);
            MemorySegment row = arena.allocate(5 * 4);
            assertThrows(IndexOutOfBoundsException.class, () -> cache.write(row, 1, new int[] {8}));
            assertThrows(IllegalArgumentException.class, () -> cache.write(row, 2, new int[] {0, 1}));
        }
    }
}
