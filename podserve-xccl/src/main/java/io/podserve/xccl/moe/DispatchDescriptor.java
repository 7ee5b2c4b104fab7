package io.podserve.xccl.moe;

/**
 * The layout of one dispatch message (one source rank to one expert rank), arrays one after another so a
 * variable row count needs no per-row framing. Offsets depend on the row count {@code n}, which the message
 * carries first so the receiver takes exactly what arrived.
 *
 * <pre>
 * 0          4          8
 * | NUM_ROWS | reserved | expertIds: n x int32 | gates: n x f32 | scales: n x f32 (int8 only) | pad to 64 |
 * rowsOffset(n)
 * | rows: n x hidden x (f32, or int8 when quantized) |
 * </pre>
 *
 * The combine reply needs no descriptor: it is the expert rank's {@code n x hidden} f32 results in the order
 * the rows came, already multiplied by their gates, and the source rank knows {@code n}.
 */
public final class DispatchDescriptor {

    public static final int NUM_ROWS_OFFSET = 0;
    public static final int EXPERT_IDS_OFFSET = 8;
    public static final int ROWS_ALIGNMENT = 64;

    private DispatchDescriptor() {
    }

    public static long gatesOffset(int numRows) {
        return EXPERT_IDS_OFFSET + (long) numRows * Integer.BYTES;
    }

    /** Only meaningful for int8 messages. */
    public static long scalesOffset(int numRows) {
        return gatesOffset(numRows) + (long) numRows * Float.BYTES;
    }

    public static long rowsOffset(int numRows, boolean int8) {
        long end = int8 ? scalesOffset(numRows) + (long) numRows * Float.BYTES : scalesOffset(numRows);
        return (end + ROWS_ALIGNMENT - 1) & -ROWS_ALIGNMENT;
    }

    public static long rowBytes(int hidden, boolean int8) {
        return int8 ? hidden : (long) hidden * Float.BYTES;
    }

    public static long messageBytes(int numRows, int hidden, boolean int8) {
        return rowsOffset(numRows, int8) + numRows * rowBytes(hidden, int8);
    }
}
