package io.podserve.kernels.sampling;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.Objects;

/** Reads one row of f32 logits out of an off-heap {@code [batch, vocab]} segment. */
final class LogitRow {
    // NOTE: pinned to little-endian, the checkpoint and activation order, not the host's.
    static final ValueLayout.OfFloat LAYOUT = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    private LogitRow() {
    }

    /** Fails fast on a row that does not lie inside the segment, so the loops need no checks of their own. */
    static void check(MemorySegment logits, long rowOffsetBytes, int vocab) {
        if (vocab <= 0) {
            throw new IllegalArgumentException("vocab must be > 0, got " + vocab);
        }
        Objects.checkFromIndexSize(rowOffsetBytes, (long) vocab * Float.BYTES, logits.byteSize());
    }

    static float get(MemorySegment logits, long rowOffsetBytes, int token) {
        return logits.get(LAYOUT, rowOffsetBytes + (long) token * Float.BYTES);
    }

    /** The largest logit; ties go to the lowest id (strict comparison), as greedy decoding wants. */
    static int argmax(MemorySegment logits, long rowOffsetBytes, int vocab) {
        int best = 0;
        float bestValue = get(logits, rowOffsetBytes, 0);
        for (int i = 1; i < vocab; i++) {
            float v = get(logits, rowOffsetBytes, i);
            if (v > bestValue) {
                best = i;
                bestValue = v;
            }
        }
        return best;
    }

    static float max(MemorySegment logits, long rowOffsetBytes, int vocab) {
        return get(logits, rowOffsetBytes, argmax(logits, rowOffsetBytes, vocab));
    }
}
