package io.podserve.units.placement;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

import io.podserve.units.Activation.Hidden;
import io.podserve.units.Activation.Routed;
import io.podserve.units.Activation.TokenIds;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;

/** Every activation survives encode/decode bit for bit, and only its used part travels. */
class WireTest {

    @Test
    void tokenIdsRoundTripUsedRowsOnly() {
        TokenIds back = (TokenIds) Wire.decode(Wire.encode(new TokenIds(new int[] {5, -1, 7, 99}, 3)));
        assertEquals(3, back.rows());
        assertArrayEquals(new int[] {5, -1, 7}, back.ids());
    }

    @Test
    void hiddenRoundTripsBitsIncludingNaNAndNegativeZero() {
        Hidden h = hidden(2, 3, new float[] {1.5f, -0f, Float.NaN, Float.MIN_VALUE, -7, 1e30f, 42});
        Hidden back = (Hidden) Wire.decode(Wire.encode(h));
        assertEquals(2, back.rows());
        assertEquals(3, back.cols());
        assertNotSame(h.data(), back.data());
        assertArrayEquals(bits(h), bits(back));
    }

    @Test
    void routedRoundTrips() {
        Hidden residual = hidden(2, 2, new float[] {1, 2, 3, 4});
        Hidden normed = hidden(2, 2, new float[] {-1, -2, -3, -4});
        Routed r = new Routed(residual, normed, 2, new int[] {3, 1, 0, 2, 77}, new float[] {.6f, .4f, .9f, .1f, 5});
        Routed back = (Routed) Wire.decode(Wire.encode(r));
        assertEquals(2, back.topK());
        assertArrayEquals(new int[] {3, 1, 0, 2}, back.expertIds());
        assertArrayEquals(new float[] {.6f, .4f, .9f, .1f}, back.weights());
        assertArrayEquals(bits(residual), bits(back.residual()));
        assertArrayEquals(bits(normed), bits(back.normed()));
    }

    /** A hidden of rows × cols in a segment with room to spare (as pooled scratch has). */
    private static Hidden hidden(int rows, int cols, float[] values) {
        MemorySegment s = Arena.ofAuto().allocate((long) values.length * 4);
        for (int i = 0; i < values.length; i++) {
            s.setAtIndex(Hidden.F32, i, values[i]);
        }
        return new Hidden(s, rows, cols);
    }

    private static int[] bits(Hidden h) {
        int[] out = new int[h.rows() * h.cols()];
        for (int i = 0; i < out.length; i++) {
            out[i] = Float.floatToRawIntBits(h.data().getAtIndex(Hidden.F32, i));
        }
        return out;
    }
}
