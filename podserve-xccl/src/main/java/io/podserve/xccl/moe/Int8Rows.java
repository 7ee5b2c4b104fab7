package io.podserve.xccl.moe;

import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

import java.lang.foreign.MemorySegment;
import java.nio.ByteOrder;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_FLOAT;

/**
 * Symmetric per-row int8 quantization: {@code scale = max|x| / 127}, {@code q = rint(x / scale)}. Dequantized
 * values are within {@code scale / 2} of the originals. Each loop is a vector body and a scalar tail that
 * rounds the same way (to nearest, ties to even), so a row's result does not depend on where the tail starts.
 */
final class Int8Rows {

    private static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;
    /** As many byte lanes as F has float lanes, for the F2B/B2F shape changes. */
    private static final VectorSpecies<Byte> B =
            VectorSpecies.of(byte.class, VectorShape.forBitSize(F.length() * Byte.SIZE));
    private static final ByteOrder ORDER = ByteOrder.nativeOrder();
    /** Adding and subtracting 1.5 * 2^23 rounds a float of magnitude below 2^22 to the nearest integer. */
    private static final float ROUND = 12_582_912f;

    private Int8Rows() {
    }

    /**
     * Quantizes {@code hidden} f32 at {@code src[srcOffset]} into int8 at {@code dst[dstOffset]}; returns
     * the scale.
     */
    static float quantize(MemorySegment src, long srcOffset, MemorySegment dst, long dstOffset, int hidden) {
        int bound = F.loopBound(hidden);
        FloatVector vmax = FloatVector.zero(F);
        int i = 0;
        for (; i < bound; i += F.length()) {
            vmax = vmax.max(FloatVector.fromMemorySegment(F, src, srcOffset + 4L * i, ORDER).abs());
        }
        float amax = vmax.reduceLanes(VectorOperators.MAX);
        for (; i < hidden; i++) {
            amax = Math.max(amax, Math.abs(src.get(JAVA_FLOAT, srcOffset + 4L * i)));
        }
        float scale = amax / 127f;
        float inv = scale == 0 ? 0 : 1 / scale;
        for (i = 0; i < bound; i += F.length()) {
            FloatVector q = FloatVector.fromMemorySegment(F, src, srcOffset + 4L * i, ORDER).mul(inv)
                    .add(ROUND).sub(ROUND).max(-127f).min(127f);
            q.convertShape(VectorOperators.F2B, B, 0).reinterpretAsBytes()
                    .intoMemorySegment(dst, dstOffset + i, ORDER);
        }
        for (; i < hidden; i++) {
            float q = (float) Math.rint(src.get(JAVA_FLOAT, srcOffset + 4L * i) * inv);
            dst.set(JAVA_BYTE, dstOffset + i, (byte) Math.max(-127f, Math.min(127f, q)));
        }
        return scale;
    }

    static void dequantize(MemorySegment src, long srcOffset, float scale, MemorySegment dst, long dstOffset,
                           int hidden) {
        int bound = F.loopBound(hidden);
        int i = 0;
        for (; i < bound; i += F.length()) {
            ByteVector.fromMemorySegment(B, src, srcOffset + i, ORDER).convertShape(VectorOperators.B2F, F, 0)
                    .reinterpretAsFloats().mul(scale).intoMemorySegment(dst, dstOffset + 4L * i, ORDER);
        }
        for (; i < hidden; i++) {
            dst.set(JAVA_FLOAT, dstOffset + 4L * i, src.get(JAVA_BYTE, srcOffset + i) * scale);
        }
    }
}
