package io.podserve.xccl.moe;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * Symmetric per-row int8 quantization: {@code scale = max|x| / 127}, {@code q = round(x / scale)}. Dequantized
 * values are within {@code scale / 2} of the originals.
 */
final class Int8Rows {

    private Int8Rows() {
    }

    /**
     * Quantizes {@code hidden} f32 at {@code src[srcOffset]} into int8 at {@code dst[dstOffset]}; returns
     * the scale.
     */
    static float quantize(MemorySegment src, long srcOffset, MemorySegment dst, long dstOffset, int hidden) {
        float amax = 0;
        for (int i = 0; i < hidden; i++) {
            amax = Math.max(amax, Math.abs(src.get(ValueLayout.JAVA_FLOAT, srcOffset + 4L * i)));
        }
        float scale = amax / 127f;
        float inv = scale == 0 ? 0 : 1 / scale;
        for (int i = 0; i < hidden; i++) {
            int q = Math.round(src.get(ValueLayout.JAVA_FLOAT, srcOffset + 4L * i) * inv);
            dst.set(ValueLayout.JAVA_BYTE, dstOffset + i, (byte) Math.max(-127, Math.min(127, q)));
        }
        return scale;
    }

    static void dequantize(MemorySegment src, long srcOffset, float scale, MemorySegment dst, long dstOffset,
                           int hidden) {
        for (int i = 0; i < hidden; i++) {
            dst.set(ValueLayout.JAVA_FLOAT, dstOffset + 4L * i, src.get(ValueLayout.JAVA_BYTE, srcOffset + i) * scale);
        }
    }
}
