package io.podserve.kernels.mla;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * One layer's paged MLA cache: {@code numBlocks} pages of {@code blockSize} token rows, each row
 * {@code kvLoraRank} floats of normalized latent {@code c_kv} (after {@code kv_a_layernorm})
 * followed by {@code ropeDim} floats of rotated rope key {@code k_pe}. Off-heap f32, little-endian,
 * layout {@code [numBlocks, blockSize, rowWidth]}; slot {@code s} is row {@code s} of that flattened
 * {@code [numBlocks · blockSize, rowWidth]} (page {@code s / blockSize}, offset {@code s % blockSize}).
 *
 * <p>NOTE: 576 floats a token for DeepSeek-V3, against 128 heads × (192 + 128) for a plain K/V cache:
 * the reason MLA exists. Rows stay f32 so the attention reproduces transformers' f32 math.
 *
 * <p>Which pages a sequence owns is the caller's bookkeeping (its block table); the cache only
 * stores rows. Writes and attention reads may run from any thread, so {@code arena} must not be
 * confined.
 */
public final class LatentCache {
    /** Tokens per page unless told otherwise. */
    public static final int DEFAULT_BLOCK_SIZE = 16;
    static final ValueLayout.OfFloat F32 = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    static final ValueLayout.OfShort I16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    private final int numBlocks;
    private final int blockSize;
    private final int kvLoraRank;
    private final int ropeDim;
    private final MemorySegment data; // f32 [numBlocks, blockSize, kvLoraRank + ropeDim]

    /** A zeroed cache of {@code numBlocks} pages of {@code blockSize} tokens, allocated in {@code arena}. */
    public LatentCache(Arena arena, int numBlocks, int blockSize, int kvLoraRank, int ropeDim) {
        if (numBlocks < 1 || blockSize < 1 || kvLoraRank < 1 || ropeDim < 1) {
            throw new IllegalArgumentException("cache dimensions must be >= 1: " + numBlocks + " blocks of "
                    + blockSize + ", kvLoraRank " + kvLoraRank + ", rope " + ropeDim);
        }
        this.numBlocks = numBlocks;
        this.blockSize = blockSize;
        this.kvLoraRank = kvLoraRank;
        this.ropeDim = ropeDim;
        this.data = arena.allocate((long) numBlocks * blockSize * rowWidth() * Float.BYTES, 64);
    }

    /** A cache for {@code shape} with {@link #DEFAULT_BLOCK_SIZE}-token pages. */
    public static LatentCache allocate(Arena arena, MlaShape shape, int numBlocks) {
        return new LatentCache(arena, numBlocks, DEFAULT_BLOCK_SIZE, shape.kvLoraRank(), shape.ropeDim());
    }

    public int numBlocks() {
        return numBlocks;
    }

    public int blockSize() {
        return blockSize;
    }

    public int kvLoraRank() {
        return kvLoraRank;
    }

    public int ropeDim() {
        return ropeDim;
    }

    /** Floats per token row: {@code kvLoraRank + ropeDim}. */
    public int rowWidth() {
        return kvLoraRank + ropeDim;
    }

    /** The whole cache, f32 {@code [numBlocks, blockSize, rowWidth]}. */
    public MemorySegment data() {
        return data;
    }

    /** The slot of token {@code position} of a sequence with block table {@code blocks}. */
    public int slot(int[] blocks, int position) {
        return blocks[position / blockSize] * blockSize + position % blockSize;
    }

    /** Byte offset in {@link #data()} of the row at {@code slot}. */
    public long slotOffset(int slot) {
        return (long) slot * rowWidth() * Float.BYTES;
    }

    /**
     * Stores this step's rows: row {@code b} of {@code rows} goes to slot {@code slotMapping[b]};
     * a negative slot skips the row (padding).
     *
     * @param rows f32 {@code [batch, rowWidth]}: {@code c_kv} then {@code k_pe} per token
     */
    public void write(MemorySegment rows, int batch, int[] slotMapping) {
        long rowBytes = (long) rowWidth() * Float.BYTES;
        if (rows.byteSize() < batch * rowBytes || slotMapping.length < batch) {
            throw new IllegalArgumentException("rows or slotMapping too small for batch " + batch);
        }
        for (int b = 0; b < batch; b++) {
            int slot = slotMapping[b];
            if (slot >= numBlocks * blockSize) {
                throw new IndexOutOfBoundsException("slot " + slot + " beyond " + numBlocks + " blocks of "
                        + blockSize);
            }
            if (slot >= 0) {
                MemorySegment.copy(rows, b * rowBytes, data, slotOffset(slot), rowBytes);
            }
        }
    }

    /**
     * The slot of every batch row of {@code sequences} (each query row's own position), -1 for rows
     * no sequence covers: the mapping {@link #write} takes for this step's rows.
     */
    public int[] slotMapping(MlaSequence[] sequences, int batch) {
        int[] slots = new int[batch];
        Arrays.fill(slots, -1);
        for (MlaSequence s : sequences) {
            for (int i = 0; i < s.numRows(); i++) {
                slots[s.firstRow() + i] = slot(s.blocks(), s.firstPosition() + i);
            }
        }
        return slots;
    }
}
