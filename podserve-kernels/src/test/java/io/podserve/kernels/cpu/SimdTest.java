package io.podserve.kernels.cpu;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

import io.podserve.kernels.Weights;
import jdk.incubator.vector.FloatVector;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The vector weight decoders against the JDK's scalar conversions, over every 16-bit pattern. */
class SimdTest {
    @Test
    void f16DecoderMatchesFloat16ToFloatForAllBitPatterns() {
        try (Arena arena = Arena.ofShared()) {
            MemorySegment halves = allPatterns(arena);
            float[] lanes = new float[Simd.LANES];
            for (int i = 0; i < 65536; i += Simd.LANES) {
                Simd.f16(halves, i * 2L).intoArray(lanes, 0);
                for (int l = 0; l < Simd.LANES; l++) {
                    float expected = Float.float16ToFloat((short) (i + l));
                    assertBitsOrNaN(expected, lanes[l], i + l);
                }
            }
        }
    }

    @Test
    void bf16DecoderMatchesScalarForAllBitPatterns() {
        try (Arena arena = Arena.ofShared()) {
            MemorySegment halves = allPatterns(arena);
            float[] lanes = new float[Simd.LANES];
            for (int i = 0; i < 65536; i += Simd.LANES) {
                Simd.bf16(halves, i * 2L).intoArray(lanes, 0);
                for (int l = 0; l < Simd.LANES; l++) {
                    assertEquals(Float.floatToRawIntBits(Weights.bf16ToFloat((short) (i + l))),
                            Float.floatToRawIntBits(lanes[l]), "bf16 0x" + Integer.toHexString(i + l));
                }
            }
        }
    }

    @Test
    void q8DecoderWidensSignedBytes() {
        try (Arena arena = Arena.ofShared()) {
            MemorySegment bytes = arena.allocate(256);
            for (int i = 0; i < 256; i++) {
                bytes.set(Simd.I8, i, (byte) i);
            }
            for (int i = 0; i < 256; i += Simd.LANES) {
                FloatVector v = Simd.q8(bytes, i);
                for (int l = 0; l < Simd.LANES; l++) {
                    assertEquals((byte) (i + l), v.lane(l));
                }
            }
        }
    }

    private static MemorySegment allPatterns(Arena arena) {
        MemorySegment s = arena.allocate(65536 * 2);
        for (int i = 0; i < 65536; i++) {
            s.set(Simd.I16, i * 2L, (short) i);
        }
        return s;
    }

    private static void assertBitsOrNaN(float expected, float actual, int pattern) {
        String what = "f16 0x" + Integer.toHexString(pattern);
        if (Float.isNaN(expected)) {
            assertTrue(Float.isNaN(actual), what);
        } else {
            assertEquals(Float.floatToRawIntBits(expected), Float.floatToRawIntBits(actual), what);
        }
    }
}
