package io.podserve.units.layers;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * A unit's reusable activation buffers: slot {@code i} is an f32 segment grown (never shrunk) to
 * the largest size asked, so steady-state steps allocate nothing. Segments come from an automatic
 * (shared) arena: kernel worker threads read and write them.
 *
 * <p>Owned by the unit that made it; a segment is overwritten by the next request for its slot.
 */
public final class Scratch {
    private final MemorySegment[] slots;

    public Scratch(int numSlots) {
        slots = new MemorySegment[numSlots];
    }

    /** Slot {@code slot} as a segment of exactly {@code numFloats} floats (contents undefined). */
    public MemorySegment floats(int slot, long numFloats) {
        long bytes = numFloats * Float.BYTES;
        MemorySegment s = slots[slot];
        if (s == null || s.byteSize() < bytes) {
            // Room for growth: prefill chunks vary in size from step to step.
            s = Arena.ofAuto().allocate(Math.max(bytes, s == null ? 0 : 2 * s.byteSize()), 64);
            slots[slot] = s;
        }
        return s.asSlice(0, bytes);
    }

    /** {@link #floats} zero-filled. */
    public MemorySegment zeros(int slot, long numFloats) {
        MemorySegment s = floats(slot, numFloats);
        s.fill((byte) 0);
        return s;
    }
}
