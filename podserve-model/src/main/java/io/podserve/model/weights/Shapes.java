package io.podserve.model.weights;

import java.util.Arrays;
import java.util.stream.Collectors;

/** Element counts and printing of tensor shapes ({@code long[]}, outermost dimension first). */
final class Shapes {
    private Shapes() {
    }

    /** @throws ArithmeticException when the product overflows a long */
    static long numElements(long[] shape) {
        long numElements = 1;
        for (long dim : shape) {
            numElements = Math.multiplyExact(numElements, dim);
        }
        return numElements;
    }

    /** "[1024, 128]", the way PyTorch and the safetensors header write it. */
    static String format(long[] shape) {
        return Arrays.stream(shape).mapToObj(Long::toString).collect(Collectors.joining(", ", "[", "]"));
    }

    static long[] checked(long[] shape) {
        for (long dim : shape) {
            if (dim < 0) {
                throw new IllegalArgumentException("negative dimension in shape " + format(shape));
            }
        }
        return shape.clone();
    }
}
