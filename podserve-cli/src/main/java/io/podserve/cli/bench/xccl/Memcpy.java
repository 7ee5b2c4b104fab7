package io.podserve.cli.bench.xccl;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/** Single-thread copy bandwidth ({@code MemorySegment.copy}), the physical limit a one-copy-each-side transport is held to. */
final class Memcpy {

    private Memcpy() {
    }

    /** Bytes copied per second, best of several passes copying {@code bytes} at a time about 1 GiB in total. */
    static double bytesPerSecond(long bytes) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment src = arena.allocate(bytes, 4096);
            MemorySegment dst = arena.allocate(bytes, 4096);
            src.fill((byte) 1);
            dst.fill((byte) 2);   // touch every page before timing
            long repeats = Math.max(1, (1L << 30) / bytes);
            double best = 0;
            for (int pass = 0; pass < 5; pass++) {
                long t0 = System.nanoTime();
                for (long r = 0; r < repeats; r++) {
                    MemorySegment.copy(src, 0, dst, 0, bytes);
                }
                best = Math.max(best, (double) repeats * bytes / ((System.nanoTime() - t0) / 1e9));
            }
            return best;
        }
    }
}
