package io.podserve.kernels.attention;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/**
 * One layer's KV cache: {@code numPages} pages of {@code blockSize} token slots, each slot a K row
 * and a V row of f32 {@code [numKvHeads, headDim]}. A sequence's tokens live in the pages its block
 * table lists: position {@code p} sits in page {@code blockTable[p / blockSize]}, slot
 * {@code p % blockSize}. The cache knows nothing of sequences; the caller owns block tables.
 *
 * <p>Owned by the thread running the layer's attention; kernels read it from worker threads, so the
 * arena must not be confined.
 */
public final class KvCache {
    static final ValueLayout.OfFloat F32 = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    private final int numPages;
    private final int blockSize;
    private final int rowFloats;
    private final MemorySegment keys; // f32 [numPages, blockSize, numKvHeads, headDim]
    private final MemorySegment values; // f32 [numPages, blockSize, numKvHeads, headDim]

    /** A zeroed cache in {@code arena}. */
    public KvCache(Arena arena, int numPages, int blockSize, int numKvHeads, int headDim) {
        if (numPages <= 0 || blockSize <= 0) {
            throw new IllegalArgumentException("need pages and block size > 0, got " + numPages + ", " + blockSize);
        }
        this.numPages = numPages;
        this.blockSize = blockSize;
        this.rowFloats = numKvHeads * headDim;
        long bytes = (long) numPages * blockSize * rowFloats * Float.BYTES;
        this.keys = arena.allocate(bytes, 64);
        this.values = arena.allocate(bytes, 64);
    }

    public int numPages() {
        return numPages;
    }

    public int blockSize() {
        return blockSize;
    }

    /** Floats per K (or V) row: {@code numKvHeads · headDim}. */
    public int rowFloats() {
        return rowFloats;
    }

    public MemorySegment keys() {
        return keys;
    }

    public MemorySegment values() {
        return values;
    }

    /**
     * Writes the byte offsets of the rows of positions {@code [first, first + n)} to {@code out[0..n)},
     * one division for the whole run (a kernel's per-key {@link #rowOffset} paid one per key).
     */
    public void rowOffsets(int[] blockTable, int first, int n, long[] out) {
        long rowBytes = (long) rowFloats * Float.BYTES;
        int block = first / blockSize;
        int slot = first % blockSize;
        long pageBase = (long) blockTable[block] * blockSize * rowBytes;
        for (int i = 0; i < n; i++) {
            out[i] = pageBase + slot * rowBytes;
            if (++slot == blockSize && i + 1 < n) {
                slot = 0;
                pageBase = (long) blockTable[++block] * blockSize * rowBytes;
            }
        }
    }

    /** Byte offset of the K (or V) row of {@code position} in a sequence with {@code blockTable}. */
    public long rowOffset(int[] blockTable, int position) {
        int page = blockTable[position / blockSize];
        long slot = (long) page * blockSize + position % blockSize;
        return slot * rowFloats * Float.BYTES;
    }

    /**
     * Copies this step's K and V rows into their slots: row {@code r} is at {@code positions[r]} of the
     * sequence whose block table is {@code blockTables[r]}.
     *
     * @param k f32 {@code [batch, numKvHeads · headDim]}
     * @param v f32 {@code [batch, numKvHeads · headDim]}
     */
    public void write(MemorySegment k, MemorySegment v, int batch, int[] positions, int[][] blockTables) {
        long rowBytes = (long) rowFloats * Float.BYTES;
        for (int r = 0; r < batch; r++) {
            long slot = rowOffset(blockTables[r], positions[r]);
            MemorySegment.copy(k, r * rowBytes, keys, slot, rowBytes);
            MemorySegment.copy(v, r * rowBytes, values, slot, rowBytes);
        }
    }
}
