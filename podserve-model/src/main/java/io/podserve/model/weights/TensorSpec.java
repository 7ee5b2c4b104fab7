package io.podserve.model.weights;

import java.util.Arrays;
import java.util.Objects;

/**
 * A tensor to be written, before its bytes exist: what {@link SafetensorsWriter} needs to lay out
 * the header up front.
 *
 * @param name  the tensor's name in the checkpoint
 * @param dtype element type
 * @param shape dimensions, outermost first; the accessor returns a copy
 */
public record TensorSpec(String name, DType dtype, long[] shape) {
    public TensorSpec {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(dtype, "dtype");
        shape = Shapes.checked(shape);
    }

    public static TensorSpec of(Tensor tensor) {
        return new TensorSpec(tensor.name(), tensor.dtype(), tensor.shape());
    }

    @Override
    public long[] shape() {
        return shape.clone();
    }

    public long numElements() {
        return Shapes.numElements(shape);
    }

    public long byteSize() {
        return Math.multiplyExact(numElements(), dtype.bytesPerElement());
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof TensorSpec t && name.equals(t.name) && dtype == t.dtype
                && Arrays.equals(shape, t.shape);
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, dtype, Arrays.hashCode(shape));
    }

    @Override
    public String toString() {
        return name + " " + dtype + Shapes.format(shape);
    }
}
