package io.podserve.kernels;

import java.lang.foreign.Arena;

import io.podserve.kernels.RopeParams.Type;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Inverse frequencies, attention scaling and table entries against values computed with numpy in
 * float32, step for step as transformers' {@code modeling_rope_utils} does it in torch (hex float
 * literals, so no decimal rounding in between), with pow, cos and sin correctly rounded from f64.
 * NOTE: torch's f32 pow (and numpy's) is off by an ulp for some exponents; at position p that
 * moves the angle by p · ulp(inv_freq), so bit-exact tables across implementations are not a goal.
 * We allow 2 ulps.
 */
class RopeTableTest {
    private static final int POSITION = 12345; // table entries checked at this position, pair 3

    @Test
    void qwen3Default() {
        RopeParams p = RopeParams.plain(1e6, 128, POSITION + 1);
        check(p, new int[] {0, 1, 16, 32, 48, 63},
                new float[] {0x1.0p+0f, 0x1.9c975ap-1f, 0x1.030dc6p-5f, 0x1.0624dep-10f, 0x1.094564p-15f,
                        0x1.4d1c98p-20f},
                1.0, 0x1.0ed27ep-1f, 0x1.b282acp-1f);
    }

    @Test
    void gptOssYarnUntruncated() {
        RopeParams p = yarn(150000, 64, 32, 4096, 0, 0, Double.NaN, false);
        check(p, new int[] {0, 1, 8, 16, 24, 31},
                new float[] {0x1.0p+0f, 0x1.60ca6ap-1f, 0x1.a04328p-5f, 0x1.dea878p-12f, 0x1.132518p-18f,
                        0x1.44a5a6p-22f},
                0.1 * Math.log(32) + 1, 0x1.0ed60ap-3f, -0x1.570e72p+0f);
    }

    @Test
    void deepseekV3YarnWithMscale() {
        float[] inv = {0x1.0p+0f, 0x1.7ff222p-1f, 0x1.99999ap-4f, 0x1.6872b2p-8f, 0x1.a36e2ep-16f, 0x1.bf749ep-19f};
        int[] idx = {0, 1, 8, 16, 24, 31};
        // mscale == mscale_all_dim: the factors cancel to exactly 1.
        check(yarn(10000, 64, 40, 4096, 1.0, 1.0, Double.NaN, true), idx, inv, 1.0, -0x1.f32e8ep-1f,
                -0x1.c764d8p-3f);
        double ratio = (0.1 * 0.707 * Math.log(40) + 1) / (0.1 * 1.0 * Math.log(40) + 1);
        check(yarn(10000, 64, 40, 4096, 0.707, 1.0, Double.NaN, true), idx, inv, ratio, -0x1.cbc484p-1f,
                -0x1.a36fe6p-3f);
    }

    @Test
    void explicitAttentionFactorWins() {
        RopeParams p = yarn(10000, 64, 40, 4096, 0.707, 1.0, 1.25, true);
        assertEquals(1.25f, build(p).attentionScaling());
    }

    @Test
    void llama3() {
        RopeParams p = new RopeParams(Type.LLAMA3, 500000, 8, 8192, 32, 1, 0, 0, Double.NaN, true, 1, 4, 1, 128,
                POSITION + 1);
        check(p, new int[] {0, 1, 16, 32, 48, 63},
                new float[] {0x1.0p+0f, 0x1.a11582p-1f, 0x1.341190p-5f, 0x1.132ba4p-11f, 0x1.be2188p-18f,
                        0x1.4985fep-22f},
                1.0, 0x1.7dbe66p-1f, 0x1.55328ep-1f);
    }

    @Test
    void linear() {
        RopeParams p = new RopeParams(Type.LINEAR, 10000, 4, 0, 32, 1, 0, 0, Double.NaN, true, 1, 4, 1, 64,
                POSITION + 1);
        check(p, new int[] {0, 1, 8, 16, 24, 31},
                new float[] {0x1.0p-2f, 0x1.7ff222p-3f, 0x1.99999ap-6f, 0x1.47ae14p-9f, 0x1.0624dep-12f,
                        0x1.17a8e4p-15f},
                1.0, 0x1.552f68p-1f, 0x1.7dc136p-1f);
    }

    @Test
    void partialRotaryRotatesAFraction() {
        RopeParams p = new RopeParams(Type.DEFAULT, 10000, 1, 0, 32, 1, 0, 0, Double.NaN, true, 1, 4, 0.5, 64, 4);
        assertEquals(32, p.rotaryDim());
        assertEquals(16, build(p).inverseFrequencies().length);
        // dim is the rotary dim: inv_freq[1] = 10000^(-2/32)
        assertUlps((float) Math.pow(10000, -2.0 / 32), build(p).inverseFrequencies()[1], "partial inv[1]");
    }

    private static RopeParams yarn(double theta, int headDim, double factor, int original, double mscale,
            double mscaleAllDim, double attentionFactor, boolean truncate) {
        return new RopeParams(Type.YARN, theta, factor, original, 32, 1, mscale, mscaleAllDim, attentionFactor,
                truncate, 1, 4, 1, headDim, POSITION + 1);
    }

    private static void check(RopeParams p, int[] indices, float[] expectedInv, double attention, float cos,
            float sin) {
        RopeTable table = build(p);
        float[] inv = table.inverseFrequencies();
        assertEquals(p.rotaryDim() / 2, inv.length);
        for (int k = 0; k < indices.length; k++) {
            assertUlps(expectedInv[k], inv[indices[k]], p.type() + " inv_freq[" + indices[k] + "]");
        }
        assertEquals((float) attention, table.attentionScaling(), p.type() + " attention scaling");
        long at = ((long) POSITION * inv.length + 3) * 4;
        assertUlps(cos, table.cos().get(Weights.F32, at), p.type() + " cos");
        assertUlps(sin, table.sin().get(Weights.F32, at), p.type() + " sin");
        assertEquals(table.attentionScaling(), table.cos().get(Weights.F32, 0), "cos at position 0");
        assertEquals(0f, table.sin().get(Weights.F32, 0), "sin at position 0");
    }

    private static RopeTable build(RopeParams p) {
        return RopeTable.build(p, Arena.ofAuto());
    }

    private static void assertUlps(float expected, float actual, String what) {
        assertTrue(Math.abs(expected - actual) <= 2 * Math.ulp(expected),
                what + ": expected " + Float.toHexString(expected) + ", got " + Float.toHexString(actual));
    }
}
