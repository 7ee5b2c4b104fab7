package io.podserve.kernels;

import java.lang.foreign.Arena;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

/**
 * {@link RopeTable#build(RopeParams, boolean, Arena)} with bf16 frequencies: each inverse frequency
 * is the f32 one rounded to bf16, and the tables are built from the rounded values.
 */
class RopeBf16FrequenciesTest {

    @Test
    void frequenciesAreRoundedToBf16AndTablesFollow() {
        RopeParams p = RopeParams.plain(1e6, 32, 64);
        try (Arena arena = Arena.ofShared()) {
            float[] exact = RopeTable.build(p, arena).inverseFrequencies();
            RopeTable rounded = RopeTable.build(p, true, arena);
            float[] inv = rounded.inverseFrequencies();
            boolean anyChanged = false;
            for (int j = 0; j < inv.length; j++) {
                assertEquals(Weights.bf16ToFloat(Weights.floatToBf16(exact[j])), inv[j]);
                anyChanged |= inv[j] != exact[j];
            }
            assertNotEquals(false, anyChanged, "rounding should change some frequency");
            int position = 37;
            int pair = 3;
            float angle = (float) position * inv[pair];
            long offset = ((long) position * inv.length + pair) * Float.BYTES;
            assertEquals((float) Math.cos(angle), rounded.cos().get(Weights.F32, offset));
            assertEquals((float) Math.sin(angle), rounded.sin().get(Weights.F32, offset));
        }
    }
}
