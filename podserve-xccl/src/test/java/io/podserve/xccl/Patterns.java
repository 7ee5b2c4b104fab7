package io.podserve.xccl;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/** Deterministic message contents, so a receiver can check every byte without the sender's copy. */
public final class Patterns {

    private Patterns() {
    }

    public static byte at(long seed, long i) {
        long x = (seed * 0x9E3779B97F4A7C15L) ^ (i * 0xBF58476D1CE4E5B9L);
        return (byte) (x ^ (x >>> 29) ^ (x >>> 47));
    }

    public static void fill(MemorySegment seg, long bytes, long seed) {
        for (long i = 0; i < bytes; i++) {
            seg.set(ValueLayout.JAVA_BYTE, i, at(seed, i));
        }
    }

    /** The index of the first byte that differs from the pattern, or -1. */
    public static long firstMismatch(MemorySegment seg, long bytes, long seed) {
        for (long i = 0; i < bytes; i++) {
            if (seg.get(ValueLayout.JAVA_BYTE, i) != at(seed, i)) {
                return i;
            }
        }
        return -1;
    }
}
