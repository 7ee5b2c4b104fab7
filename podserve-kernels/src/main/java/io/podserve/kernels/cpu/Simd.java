package io.podserve.kernels.cpu;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.ShortVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

/**
 * Species and the weight-element decoders shared by the kernels. Every species has
 * {@link #LANES} lanes, so one decoded weight vector lines up with one f32 activation vector.
 */
final class Simd {
    static final ByteOrder LE = ByteOrder.LITTLE_ENDIAN;
    static final ValueLayout.OfFloat F32 = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(LE);
    static final ValueLayout.OfShort I16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(LE);
    static final ValueLayout.OfByte I8 = ValueLayout.JAVA_BYTE;

    /** f32 activations: the JVM's preferred shape (512 bits with AVX-512). */
    static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;
    static final int LANES = F.length();
    static final VectorSpecies<Integer> I = VectorSpecies.of(int.class, F.vectorShape());
    /** 16-bit weights: half the bits of {@link #F}, same lane count. */
    static final VectorSpecies<Short> S = VectorSpecies.of(short.class,
            VectorShape.forBitSize(F.vectorBitSize() / 2));
    /** int8 quants: a quarter of the bits of {@link #F}, same lane count. */
    static final VectorSpecies<Byte> B = VectorSpecies.of(byte.class,
            VectorShape.forBitSize(F.vectorBitSize() / 4));

    private Simd() {
    }

    static FloatVector f32(MemorySegment seg, long offset) {
        return FloatVector.fromMemorySegment(F, seg, offset, LE);
    }

    /** {@link #LANES} bf16 values at {@code offset}, widened: bf16 bits are the top half of f32. */
    static FloatVector bf16(MemorySegment seg, long offset) {
        ShortVector bits = ShortVector.fromMemorySegment(S, seg, offset, LE);
        IntVector wide = (IntVector) bits.convertShape(VectorOperators.S2I, I, 0);
        return wide.lanewise(VectorOperators.LSHL, 16).reinterpretAsFloats();
    }

    /**
     * {@link #LANES} IEEE half-precision values at {@code offset}, widened. JDK 25's incubator API
     * has no vector f16 conversion, so by bits: shift exponent and mantissa into place and multiply
     * by 2^112 to re-bias the exponent (exact, and right for subnormals too); infinities and NaNs
     * get the all-ones f32 exponent; the sign goes on last.
     */
    static FloatVector f16(MemorySegment seg, long offset) {
        ShortVector bits = ShortVector.fromMemorySegment(S, seg, offset, LE);
        IntVector half = (IntVector) bits.convertShape(VectorOperators.S2I, I, 0);
        IntVector magnitude = half.and(0x7FFF);
        IntVector shifted = magnitude.lanewise(VectorOperators.LSHL, 13);
        IntVector finite = shifted.reinterpretAsFloats().mul(0x1p112f).reinterpretAsInts();
        VectorMask<Integer> special = magnitude.compare(VectorOperators.GE, 0x7C00);
        IntVector value = finite.blend(shifted.or(0x7F800000), special);
        IntVector sign = half.and(0x8000).lanewise(VectorOperators.LSHL, 16);
        return value.or(sign).reinterpretAsFloats();
    }

    /** {@link #LANES} int8 quants at {@code offset}, widened to f32 (not yet scaled). */
    static FloatVector q8(MemorySegment seg, long offset) {
        ByteVector quants = ByteVector.fromMemorySegment(B, seg, offset, LE);
        return (FloatVector) quants.convertShape(VectorOperators.B2F, F, 0);
    }

    static float bf16Scalar(MemorySegment seg, long offset) {
        return Float.intBitsToFloat((seg.get(I16, offset) & 0xFFFF) << 16);
    }

    static float f16Scalar(MemorySegment seg, long offset) {
        return Float.float16ToFloat(seg.get(I16, offset));
    }
}
