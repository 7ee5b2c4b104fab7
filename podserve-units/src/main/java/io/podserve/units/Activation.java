package io.podserve.units;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/**
 * What crosses a unit boundary. The set is closed so that a placement can serialize every kind
 * ({@code placement.Wire}); all of them are views, not copies, on the local path.
 */
public sealed interface Activation {

    /** Token ids of the step's rows: the embedding's input. */
    record TokenIds(int[] ids, int rows) implements Activation {
    }

    /**
     * f32 {@code [rows, cols]} row-major, little-endian: the residual stream, normed activations or logits.
     */
    record Hidden(MemorySegment data, int rows, int cols) implements Activation {
        /** How every activation float is laid out. */
        public static final ValueLayout.OfFloat F32 = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

        /** Bytes of the {@code rows × cols} floats (the segment may be larger: pooled scratch). */
        public long byteSize() {
            return (long) rows * cols * Float.BYTES;
        }
    }

    /**
     * The router's output, everything the experts need: the residual stream (to add to), the
     * normed activations the experts read, and for each row its {@code topK} expert ids and
     * combine weights ({@code [rows · topK]}, row-major).
     */
    record Routed(Hidden residual, Hidden normed, int topK, int[] expertIds, float[] weights) implements Activation {
    }
}
