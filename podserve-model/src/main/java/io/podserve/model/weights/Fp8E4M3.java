package io.podserve.model.weights;

/**
 * The float8 e4m3fn format of DeepSeek-V3 and other FP8 checkpoints: 1 sign bit, 4 exponent bits
 * with bias 7, 3 mantissa bits. Unlike IEEE formats it has no infinities; only S.1111.111 is NaN,
 * which makes ±448 the largest finite values. Exponent bits 0 encode subnormals, m × 2^-9.
 */
public final class Fp8E4M3 {
    /** Largest finite magnitude, 1.75 × 2^8. */
    public static final float MAX_VALUE = 448f;

    private static final int EXPONENT_BIAS = 7;
    private static final int FLOAT32_EXPONENT_BIAS = 127;
    private static final float SUBNORMAL_STEP = 0x1p-9f;

    /** All 256 values, indexed by the unsigned bit pattern: a decode is one array load. */
    private static final float[] VALUES = decodeAll();

    private Fp8E4M3() {
    }

    /** The value of an FP8 byte as stored in the checkpoint. */
    public static float toFloat(byte bits) {
        return VALUES[bits & 0xFF];
    }

    private static float[] decodeAll() {
        float[] values = new float[256];
        for (int bits = 0; bits < 256; bits++) {
            values[bits] = decode(bits);
        }
        return values;
    }

    /** Moves the fields into a float32 bit pattern; every e4m3fn value is exact in float32. */
    private static float decode(int bits) {
        boolean negative = (bits & 0x80) != 0;
        int exponentBits = (bits >>> 3) & 0xF;
        int mantissaBits = bits & 0x7;
        if (exponentBits == 0xF && mantissaBits == 0x7) {
            return Float.NaN;
        }
        if (exponentBits == 0) {
            float magnitude = mantissaBits * SUBNORMAL_STEP;
            return negative ? -magnitude : magnitude;
        }
        int float32Exponent = exponentBits - EXPONENT_BIAS + FLOAT32_EXPONENT_BIAS;
        int float32Bits = (negative ? 1 << 31 : 0) | float32Exponent << 23 | mantissaBits << 20;
        return Float.intBitsToFloat(float32Bits);
    }
}
