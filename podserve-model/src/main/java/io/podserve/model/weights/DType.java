package io.podserve.model.weights;

import java.util.Arrays;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Element types of safetensors tensors. Weights come as BF16, F16, F32 or F8_E4M3; the wider
 * integer and float types are here so that reference files (token ids in I64, logits in F32) can
 * be read with the same code.
 */
public enum DType {
    BF16("BF16", 2, true),
    F16("F16", 2, true),
    F32("F32", 4, true),
    F64("F64", 8, true),
    /** e4m3fn: no infinities, S.1111.111 is NaN; decoded by {@link Fp8E4M3}. */
    F8_E4M3("F8_E4M3", 1, true),
    I64("I64", 8, false),
    I32("I32", 4, false),
    I16("I16", 2, false),
    I8("I8", 1, false),
    U8("U8", 1, false),
    BOOL("BOOL", 1, false);

    private final String safetensorsName;
    private final int numBytes;
    private final boolean floatingPoint;

    DType(String safetensorsName, int numBytes, boolean floatingPoint) {
        this.safetensorsName = safetensorsName;
        this.numBytes = numBytes;
        this.floatingPoint = floatingPoint;
    }

    /** The name in a safetensors header's {@code dtype} field. */
    public String safetensorsName() {
        return safetensorsName;
    }

    public int bytesPerElement() {
        return numBytes;
    }

    /** True for types read with {@link Tensor#getFloat}; the others are read with {@link Tensor#getLong}. */
    public boolean isFloatingPoint() {
        return floatingPoint;
    }

    public static Optional<DType> find(String safetensorsName) {
        return Arrays.stream(values()).filter(t -> t.safetensorsName.equals(safetensorsName)).findFirst();
    }

    /** @throws IllegalArgumentException naming the unknown type and listing the supported ones */
    public static DType fromSafetensorsName(String safetensorsName) {
        return find(safetensorsName).orElseThrow(() -> new IllegalArgumentException(
                "unknown dtype \"" + safetensorsName + "\"; supported: " + supportedNames()));
    }

    /** "BF16, F16, …" for error messages. */
    public static String supportedNames() {
        return Arrays.stream(values()).map(DType::safetensorsName).collect(Collectors.joining(", "));
    }
}
