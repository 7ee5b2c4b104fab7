package io.podserve.model.weights;

import io.podserve.model.ModelFormatException;

import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import java.util.Objects;

/**
 * A tensor's bytes with their name, type and shape. The bytes are a slice of the memory-mapped
 * checkpoint (or of whatever segment the creator passed): little-endian, row-major, with no
 * alignment guarantee. Reading values never copies the tensor; {@link #toFloatArray()} and
 * {@link #toLongArray()} do, and are meant for tests and small tensors only.
 */
public final class Tensor {
    private final String name;
    private final DType dtype;
    private final long[] shape;
    private final MemorySegment data;
    private final Path file;

    /** A tensor over {@code data}, which must hold exactly {@code shape}'s elements of {@code dtype}. */
    public Tensor(String name, DType dtype, long[] shape, MemorySegment data) {
        this(name, dtype, shape, data, null);
    }

    /** @param file the checkpoint file the data is mapped from, named in errors; null when none */
    Tensor(String name, DType dtype, long[] shape, MemorySegment data, Path file) {
        this.name = Objects.requireNonNull(name, "name");
        this.dtype = Objects.requireNonNull(dtype, "dtype");
        this.shape = Shapes.checked(shape);
        this.data = Objects.requireNonNull(data, "data");
        this.file = file;
        long expectedBytes = Shapes.numElements(this.shape) * dtype.bytesPerElement();
        if (data.byteSize() != expectedBytes) {
            throw new IllegalArgumentException("tensor " + name + ": " + dtype + Shapes.format(this.shape)
                    + " needs " + expectedBytes + " bytes but the segment has " + data.byteSize());
        }
    }

    public String name() {
        return name;
    }

    public DType dtype() {
        return dtype;
    }

    /** Dimensions, outermost first; a copy. */
    public long[] shape() {
        return shape.clone();
    }

    public int rank() {
        return shape.length;
    }

    public long dim(int axis) {
        return shape[axis];
    }

    public long numElements() {
        return Shapes.numElements(shape);
    }

    public long byteSize() {
        return data.byteSize();
    }

    /** The tensor's bytes, little-endian and possibly unaligned. */
    public MemorySegment data() {
        return data;
    }

    /** The element at flat row-major {@code index}, for floating-point dtypes. */
    public float getFloat(long index) {
        return switch (dtype) {
            case F32 -> data.getAtIndex(LittleEndian.FLOAT, index);
            case BF16 -> bf16ToFloat(data.getAtIndex(LittleEndian.SHORT, index));
            case F16 -> Float.float16ToFloat(data.getAtIndex(LittleEndian.SHORT, index));
            case F8_E4M3 -> Fp8E4M3.toFloat(data.get(LittleEndian.BYTE, index));
            case F64 -> (float) data.getAtIndex(LittleEndian.DOUBLE, index);
            default -> throw wrongKind("getFloat", "getLong");
        };
    }

    /** The element at flat row-major {@code index}, for integer dtypes (BOOL reads as 0 or 1). */
    public long getLong(long index) {
        return switch (dtype) {
            case I64 -> data.getAtIndex(LittleEndian.LONG, index);
            case I32 -> data.getAtIndex(LittleEndian.INT, index);
            case I16 -> data.getAtIndex(LittleEndian.SHORT, index);
            case I8 -> data.get(LittleEndian.BYTE, index);
            case U8 -> data.get(LittleEndian.BYTE, index) & 0xFF;
            case BOOL -> data.get(LittleEndian.BYTE, index) != 0 ? 1 : 0;
            default -> throw wrongKind("getLong", "getFloat");
        };
    }

    /** bfloat16 is the high half of a float32, so widening is a shift. */
    static float bf16ToFloat(short bits) {
        return Float.intBitsToFloat((bits & 0xFFFF) << 16);
    }

    /**
     * Converts every element to float32 into {@code dst} (little-endian, from offset 0), the way
     * BF16/F16/F8 weights become f32 for kernels that want it. FP8 values are written without their
     * block scales; {@link Fp8BlockDequant} applies those.
     */
    public void copyToFloats(MemorySegment dst) {
        long numElements = numElements();
        if (dst.byteSize() < numElements * Float.BYTES) {
            throw new IllegalArgumentException("tensor " + name + ": " + numElements
                    + " floats do not fit a segment of " + dst.byteSize() + " bytes");
        }
        if (dtype == DType.F32) {
            MemorySegment.copy(data, 0, dst, 0, data.byteSize());
        } else if (dtype == DType.BF16) {
            copyBf16(dst, numElements);
        } else {
            for (long i = 0; i < numElements; i++) {
                dst.setAtIndex(LittleEndian.FLOAT, i, getFloat(i));
            }
        }
    }

    private void copyBf16(MemorySegment dst, long numElements) {
        for (long i = 0; i < numElements; i++) {
            int bits = (data.getAtIndex(LittleEndian.SHORT, i) & 0xFFFF) << 16;
            dst.setAtIndex(LittleEndian.INT, i, bits);
        }
    }

    /** A heap copy of all values as float32; for tests and small tensors (norm weights, biases). */
    public float[] toFloatArray() {
        float[] values = new float[heapLength()];
        for (int i = 0; i < values.length; i++) {
            values[i] = getFloat(i);
        }
        return values;
    }

    /** A heap copy of all values of an integer tensor; for token ids and tests. */
    public long[] toLongArray() {
        long[] values = new long[heapLength()];
        for (int i = 0; i < values.length; i++) {
            values[i] = getLong(i);
        }
        return values;
    }

    private int heapLength() {
        long numElements = numElements();
        if (numElements > Integer.MAX_VALUE - 8) {
            throw new IllegalStateException("tensor " + name + " has " + numElements
                    + " elements, too many for a Java array; read it through data() or copyToFloats");
        }
        return (int) numElements;
    }

    /** An error about this tensor's contents, naming its file when it came from one. */
    ModelFormatException formatError(String problem) {
        return file == null ? new ModelFormatException(problem) : new ModelFormatException(file, problem);
    }

    private IllegalStateException wrongKind(String called, String instead) {
        return new IllegalStateException("tensor " + name + " is " + dtype + "; " + called
                + " does not read it, use " + instead);
    }

    @Override
    public String toString() {
        return name + " " + dtype + Shapes.format(shape);
    }
}
