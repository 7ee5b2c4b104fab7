package io.podserve.kernels;

/**
 * How a weight matrix stores its elements. Each format is blocks of {@link #blockSize()} elements
 * along a row ({@code in} dimension) costing {@link #bytesPerBlock()} bytes; plain formats are
 * blocks of one element.
 *
 * <p>NOTE: Q8's 36 bytes per block are 32 int8 quants plus one f32 scale; {@link Q8} keeps the two
 * in separate planes (all quants, then all scales) so the quants of a row are contiguous and vector
 * loads need no de-interleaving. An f32 scale costs 6% more bytes than f16 but keeps tiny scales
 * exact (f16 goes subnormal below 6e-5, which small-magnitude weight blocks reach).
 */
public enum WeightFormat {
    F32(1, 4),
    BF16(1, 2),
    F16(1, 2),
    Q8(32, 36);

    private final int blockSize;
    private final int bytesPerBlock;

    WeightFormat(int blockSize, int bytesPerBlock) {
        this.blockSize = blockSize;
        this.bytesPerBlock = bytesPerBlock;
    }

    /** Elements per block along a row. */
    public int blockSize() {
        return blockSize;
    }

    /** Storage bytes per full block (quants and scale together for Q8). */
    public int bytesPerBlock() {
        return bytesPerBlock;
    }

    /** Blocks per row of {@code cols} elements; the last block may be partial. */
    public int numBlocks(int cols) {
        return (cols + blockSize - 1) / blockSize;
    }

    /** Bytes of a {@code rows × cols} matrix in this format. */
    public long matrixBytes(int rows, int cols) {
        if (this == Q8) {
            return (long) rows * cols + (long) rows * numBlocks(cols) * Float.BYTES;
        }
        return (long) rows * cols * bytesPerBlock;
    }
}
