package io.podserve.planner.catalog;

import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * How weights (or the KV cache) are stored, and which peak their GEMMs run at.
 * Bytes per element include block scales where the format has them.
 */
public enum WeightFormat {
    F32("f32", 4, "f32"),
    BF16("bf16", 2, "bf16"),
    FP8("fp8", 1 + 4.0 / (128 * 128), "fp8"),
    INT8("int8", 1, "int8"),
    /** podserve's CPU q8: blocks of 32 int8 with one f32 scale; the CPU computes in f32. */
    Q8("q8", 36.0 / 32, "f32"),
    /** GPT-OSS experts: 4-bit values in blocks of 32 with one 8-bit scale, computed in bf16. */
    MXFP4("mxfp4", 17.0 / 32, "bf16");

    private final String id;
    private final double bytesPerElement;
    private final String computeDtype;

    WeightFormat(String id, double bytesPerElement, String computeDtype) {
        this.id = id;
        this.bytesPerElement = bytesPerElement;
        this.computeDtype = computeDtype;
    }

    public String id() {
        return id;
    }

    public double bytesPerElement() {
        return bytesPerElement;
    }

    /** The peakFlops key GEMMs over these weights run at. */
    public String computeDtype() {
        return computeDtype;
    }

    public static WeightFormat parse(String s) {
        for (WeightFormat f : values()) {
            if (f.id.equalsIgnoreCase(s) || (s.equalsIgnoreCase("bfloat16") && f == BF16)
                    || (s.equalsIgnoreCase("float32") && f == F32)) {
                return f;
            }
        }
        throw new IllegalArgumentException("unknown dtype '" + s + "'; choose one of "
                + Arrays.stream(values()).map(WeightFormat::id).collect(Collectors.joining(", ")));
    }
}
