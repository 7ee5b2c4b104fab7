package io.podserve.model.weights;

import io.podserve.model.ModelFormatException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class Fp8Test {
    private static final int NUM_ROWS = 200;
    private static final int NUM_COLS = 300;

    @TempDir
    Path dir;

    /** The e4m3fn definition in arithmetic: (-1)^s × 1.m × 2^(e-7), or 0.m × 2^-6 when e = 0. */
    private static double reference(int bits) {
        int sign = bits >>> 7;
        int exponent = (bits >>> 3) & 0xF;
        int mantissa = bits & 0x7;
        if (exponent == 15 && mantissa == 7) {
            return Double.NaN;
        }
        double significand = exponent == 0 ? mantissa / 8.0 : 1 + mantissa / 8.0;
        double magnitude = Math.scalb(significand, (exponent == 0 ? 1 : exponent) - 7);
        return sign == 1 ? -magnitude : magnitude;
    }

    @Test
    void allBitPatternsDecodeAsTheFormatDefines() {
        for (int bits = 0; bits < 256; bits++) {
            float decoded = Fp8E4M3.toFloat((byte) bits);
            double expected = reference(bits);
            if (Double.isNaN(expected)) {
                assertTrue(Float.isNaN(decoded), "bits " + Integer.toHexString(bits));
            } else {
                assertEquals((float) expected, decoded, "bits " + Integer.toHexString(bits));
            }
        }
    }

    @Test
    void handKnownValues() {
        assertEquals(1.0f, Fp8E4M3.toFloat((byte) 0x38));
        assertEquals(448f, Fp8E4M3.toFloat((byte) 0x7E));
        assertEquals(-448f, Fp8E4M3.toFloat((byte) 0xFE));
        assertEquals(0x1p-9f, Fp8E4M3.toFloat((byte) 0x01));
        assertEquals(0x1p-6f, Fp8E4M3.toFloat((byte) 0x08));
        assertEquals(Float.floatToRawIntBits(-0.0f), Float.floatToRawIntBits(Fp8E4M3.toFloat((byte) 0x80)));
        assertTrue(Float.isNaN(Fp8E4M3.toFloat((byte) 0x7F)));
        assertTrue(Float.isNaN(Fp8E4M3.toFloat((byte) 0xFF)));
        assertEquals(Fp8E4M3.MAX_VALUE, Fp8E4M3.toFloat((byte) 0x7E));
    }

    @Test
    void blockScalesMultiplyEachBlock() {
        checkDequant(128, 128, 2, 3);
        checkDequant(64, 100, 4, 3);
    }

    private void checkDequant(int blockRows, int blockCols, int numRowBlocks, int numColBlocks) {
        byte[] fp8 = randomFp8(NUM_ROWS * NUM_COLS, 7);
        Tensor weight = new Tensor("w.weight", DType.F8_E4M3, new long[] {NUM_ROWS, NUM_COLS},
                MemorySegment.ofArray(fp8));
        float[] scales = distinctScales(numRowBlocks * numColBlocks);
        Tensor scaleInv = TestFiles.f32("w.weight_scale_inv", new long[] {numRowBlocks, numColBlocks}, scales);
        try (Arena arena = Arena.ofConfined()) {
            Tensor dequantized = Fp8BlockDequant.dequantize(weight, scaleInv, blockRows, blockCols, arena);
            assertEquals(DType.F32, dequantized.dtype());
            assertArrayEquals(new long[] {NUM_ROWS, NUM_COLS}, dequantized.shape());
            float[] actual = dequantized.toFloatArray();
            for (int row = 0; row < NUM_ROWS; row++) {
                for (int col = 0; col < NUM_COLS; col++) {
                    float scale = scales[(row / blockRows) * numColBlocks + col / blockCols];
                    float expected = (float) reference(fp8[row * NUM_COLS + col] & 0xFF) * scale;
                    assertEquals(expected, actual[row * NUM_COLS + col], "at " + row + ", " + col);
                }
            }
        }
    }

    @Test
    void storeDequantizesFp8WithItsScalesAndWidensOtherTypes() throws IOException {
        writeFp8Checkpoint(true, new long[] {2, 3});
        try (WeightStore store = WeightStore.open(dir); Arena arena = Arena.ofConfined()) {
            Tensor weight = store.dequantized("layer.weight", arena);
            assertEquals(1.0f * 0.5f, weight.getFloat(0));
            assertEquals(448f * 5.5f, weight.getFloat(NUM_ROWS * NUM_COLS - 1));
            Tensor scales = store.dequantized("layer.weight_scale_inv", arena);
            assertEquals(5.5f, scales.getFloat(5));
        }
    }

    @Test
    void missingScalesAreNamed() throws IOException {
        Path file = writeFp8Checkpoint(false, null);
        try (WeightStore store = WeightStore.open(dir); Arena arena = Arena.ofConfined()) {
            var e = assertThrows(ModelFormatException.class, () -> store.dequantized("layer.weight", arena));
            assertEquals(file + ": tensor layer.weight is F8_E4M3 but layer.weight_scale_inv is missing;"
                    + " FP8 checkpoints need their block scales (one F32 per 128 × 128 block) to give the weights"
                    + " their magnitude. The checkpoint is incomplete or was converted without them;"
                    + " re-download it", e.getMessage());
        }
    }

    @Test
    void scalesOfTheWrongShapeAreRejected() throws IOException {
        Path file = writeFp8Checkpoint(true, new long[] {3, 2});
        try (WeightStore store = WeightStore.open(dir); Arena arena = Arena.ofConfined()) {
            var e = assertThrows(ModelFormatException.class, () -> store.dequantized("layer.weight", arena));
            assertEquals(file + ": tensor layer.weight_scale_inv has shape [3, 2] but layer.weight of shape"
                    + " [200, 300] in 128 × 128 blocks needs [2, 3]; the block size does not match"
                    + " quantization_config.weight_block_size, or the scales belong to another tensor",
                    e.getMessage());
        }
    }

    /** 200 × 300 FP8 weight: 1.0 first, 448 last; scales 0.5, 1.5, … per block in row-major order. */
    private Path writeFp8Checkpoint(boolean withScales, long[] scaleShape) throws IOException {
        byte[] fp8 = randomFp8(NUM_ROWS * NUM_COLS, 11);
        fp8[0] = 0x38;
        fp8[fp8.length - 1] = 0x7E;
        Tensor weight = new Tensor("layer.weight", DType.F8_E4M3, new long[] {NUM_ROWS, NUM_COLS},
                MemorySegment.ofArray(fp8));
        Path file = dir.resolve("model.safetensors");
        List<Tensor> tensors = withScales
                ? List.of(weight, TestFiles.f32("layer.weight_scale_inv", scaleShape, distinctScales(6)))
                : List.of(weight);
        SafetensorsWriter.write(file, tensors, Map.of());
        return file;
    }

    /** Random finite FP8 bytes (NaN patterns replaced by zero). */
    private static byte[] randomFp8(int numElements, long seed) {
        byte[] bytes = new byte[numElements];
        new Random(seed).nextBytes(bytes);
        for (int i = 0; i < bytes.length; i++) {
            if ((bytes[i] & 0x7F) == 0x7F) {
                bytes[i] = 0;
            }
        }
        return bytes;
    }

    private static float[] distinctScales(int numScales) {
        float[] scales = new float[numScales];
        for (int i = 0; i < numScales; i++) {
            scales[i] = 0.5f + i;
        }
        return scales;
    }
}
