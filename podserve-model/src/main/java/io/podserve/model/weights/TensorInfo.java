package io.podserve.model.weights;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.Objects;

/**
 * Where one tensor lives on disk, as its safetensors header says (and {@link SafetensorsFile}
 * has checked).
 *
 * @param name        the tensor's name in the checkpoint, e.g. {@code model.embed_tokens.weight}
 * @param dtype       element type
 * @param shape       dimensions, outermost first ({@code [out, in]} for linear weights); a
 *                    {@code long[]} because expert-stacked tensors can pass 2^31 elements, and
 *                    scalars have shape {@code []}. The accessor returns a copy.
 * @param file        the {@code .safetensors} file holding it
 * @param dataOffset  absolute position of its first byte in {@code file} (8-byte length prefix and
 *                    header included), not the header's data-area-relative {@code data_offsets}
 * @param byteSize    number of bytes, always {@code numElements() * dtype.bytesPerElement()}
 */
public record TensorInfo(String name, DType dtype, long[] shape, Path file, long dataOffset, long byteSize) {
    public TensorInfo {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(dtype, "dtype");
        Objects.requireNonNull(file, "file");
        shape = Shapes.checked(shape);
        if (dataOffset < 0 || byteSize != Shapes.numElements(shape) * dtype.bytesPerElement()) {
            throw new IllegalArgumentException("tensor " + name + ": offset " + dataOffset + ", "
                    + byteSize + " bytes do not fit dtype " + dtype + " and shape " + Shapes.format(shape));
        }
    }

    @Override
    public long[] shape() {
        return shape.clone();
    }

    public long numElements() {
        return Shapes.numElements(shape);
    }

    public int rank() {
        return shape.length;
    }

    public long dim(int axis) {
        return shape[axis];
    }

    /** True when the tensor has exactly these dimensions. */
    public boolean hasShape(long... expectedShape) {
        return Arrays.equals(shape, expectedShape);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof TensorInfo t && name.equals(t.name) && dtype == t.dtype
                && Arrays.equals(shape, t.shape) && file.equals(t.file)
                && dataOffset == t.dataOffset && byteSize == t.byteSize;
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, dtype, Arrays.hashCode(shape), file, dataOffset, byteSize);
    }

    @Override
    public String toString() {
        return name + " " + dtype + Shapes.format(shape) + " at " + file.getFileName() + "@" + dataOffset;
    }
}
