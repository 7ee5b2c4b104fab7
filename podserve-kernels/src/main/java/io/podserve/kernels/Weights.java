package io.podserve.kernels;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/**
 * A weight matrix of {@code rows} (out features) × {@code cols} (in features), row-major as Hugging
 * Face stores linear weights ({@code [out, in]}), in {@code format}, over {@code data}. A norm weight
 * or bias is a matrix of one row. Immutable; the segment is shared read-only by every thread.
 *
 * @param format how elements are stored
 * @param rows   out features
 * @param cols   in features
 * @param data   at least {@code format.matrixBytes(rows, cols)} bytes, little-endian
 */
public record Weights(WeightFormat format, int rows, int cols, MemorySegment data) {
    static final ValueLayout.OfFloat F32 = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    static final ValueLayout.OfShort I16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    public Weights {
        if (rows <= 0 || cols <= 0) {
            throw new IllegalArgumentException("weights need rows, cols > 0, got " + rows + "×" + cols);
        }
        long need = format.matrixBytes(rows, cols);
        if (data.byteSize() < need) {
            throw new IllegalArgumentException(format + " " + rows + "×" + cols + " needs " + need
                    + " bytes, segment has " + data.byteSize());
        }
    }

    /** Zeroed weights allocated in {@code arena}. */
    public static Weights allocate(Arena arena, WeightFormat format, int rows, int cols) {
        return new Weights(format, rows, cols, arena.allocate(format.matrixBytes(rows, cols), 64));
    }

    /** Element {@code [row, col]} as f32 (dequantized for Q8). Slow; for references and tests. */
    public float get(int row, int col) {
        long index = (long) row * cols + col;
        return switch (format) {
            case F32 -> data.get(F32, index * 4);
            case BF16 -> bf16ToFloat(data.get(I16, index * 2));
            case F16 -> Float.float16ToFloat(data.get(I16, index * 2));
            case Q8 -> Q8.get(this, row, col);
        };
    }

    /** Sets element {@code [row, col]} of an F32, BF16 (round to nearest even) or F16 matrix. */
    public void set(int row, int col, float value) {
        long index = (long) row * cols + col;
        switch (format) {
            case F32 -> data.set(F32, index * 4, value);
            case BF16 -> data.set(I16, index * 2, floatToBf16(value));
            case F16 -> data.set(I16, index * 2, Float.floatToFloat16(value));
            case Q8 -> throw new UnsupportedOperationException("Q8 weights are made by Q8.quantize");
        }
    }

    /** Widens bf16 bits to f32: bf16 is the high half of an f32. */
    public static float bf16ToFloat(short bits) {
        return Float.intBitsToFloat((bits & 0xFFFF) << 16);
    }

    /** Rounds f32 to bf16 bits, nearest even, as torch's {@code .to(torch.bfloat16)} does; NaN stays NaN. */
    public static short floatToBf16(float value) {
        int bits = Float.floatToRawIntBits(value);
        if (Float.isNaN(value)) {
            return (short) ((bits >>> 16) | 0x40);
        }
        int roundingBias = 0x7FFF + ((bits >>> 16) & 1);
        return (short) ((bits + roundingBias) >>> 16);
    }
}
