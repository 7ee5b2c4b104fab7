package io.podserve.model.weights;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.Arrays;

/**
 * Block-scaled FP8 weights, DeepSeek-V3 style: a 2-D F8_E4M3 weight {@code X.weight} of shape
 * {@code [rows, cols]} comes with {@code X.weight_scale_inv} of shape
 * {@code [ceil(rows / blockRows), ceil(cols / blockCols)]}, and the real value at (r, c) is
 * {@code fp8(r, c) × scale_inv[r / blockRows][c / blockCols]}. The block size is the config's
 * {@code quantization_config.weight_block_size}, 128 × 128 in every published checkpoint.
 */
public final class Fp8BlockDequant {
    public static final int DEFAULT_BLOCK_SIZE = 128;
    public static final String SCALE_SUFFIX = "_scale_inv";

    private Fp8BlockDequant() {
    }

    /** The name of the block scales that belong to an FP8 weight. */
    public static String scaleName(String weightName) {
        return weightName + SCALE_SUFFIX;
    }

    /** Dequantizes into a new little-endian f32 tensor of the weight's shape, allocated in {@code arena}. */
    public static Tensor dequantize(Tensor weight, Tensor scaleInv, int blockRows, int blockCols, Arena arena) {
        checkShapes(weight, scaleInv, blockRows, blockCols);
        MemorySegment dst = arena.allocate(weight.numElements() * Float.BYTES, Float.BYTES);
        dequantizeInto(weight, scaleInv, blockRows, blockCols, dst);
        return new Tensor(weight.name(), DType.F32, weight.shape(), dst);
    }

    /**
     * Writes the dequantized weight as little-endian f32, row-major, from offset 0 of {@code dst}.
     *
     * @throws io.podserve.model.ModelFormatException when the weight is not 2-D F8_E4M3 or the
     *         scales do not have one value per block
     */
    public static void dequantizeInto(Tensor weight, Tensor scaleInv, int blockRows, int blockCols,
            MemorySegment dst) {
        checkShapes(weight, scaleInv, blockRows, blockCols);
        if (dst.byteSize() < weight.numElements() * Float.BYTES) {
            throw new IllegalArgumentException("tensor " + weight.name() + ": " + weight.numElements()
                    + " floats do not fit a segment of " + dst.byteSize() + " bytes");
        }
        long numRows = weight.dim(0);
        for (long row = 0; row < numRows; row++) {
            dequantizeRow(weight, scaleInv, row, blockRows, blockCols, dst);
        }
    }

    private static void dequantizeRow(Tensor weight, Tensor scaleInv, long row, int blockRows, int blockCols,
            MemorySegment dst) {
        MemorySegment fp8 = weight.data();
        long numCols = weight.dim(1);
        long numColBlocks = scaleInv.dim(1);
        long scaleRowStart = (row / blockRows) * numColBlocks;
        long rowStart = row * numCols;
        for (long colBlock = 0; colBlock < numColBlocks; colBlock++) {
            float scale = scaleInv.getFloat(scaleRowStart + colBlock);
            long colEnd = Math.min(numCols, (colBlock + 1) * blockCols);
            for (long col = colBlock * blockCols; col < colEnd; col++) {
                float value = Fp8E4M3.toFloat(fp8.get(LittleEndian.BYTE, rowStart + col));
                dst.setAtIndex(LittleEndian.FLOAT, rowStart + col, value * scale);
            }
        }
    }

    /** Checks that {@code scaleInv} can scale {@code weight}: dtypes, ranks and one scale per block. */
    static void checkShapes(Tensor weight, Tensor scaleInv, int blockRows, int blockCols) {
        if (blockRows <= 0 || blockCols <= 0) {
            throw new IllegalArgumentException("FP8 block size must be positive, got "
                    + blockRows + " × " + blockCols);
        }
        if (weight.dtype() != DType.F8_E4M3 || weight.rank() != 2) {
            throw weight.formatError("tensor " + weight.name() + " is " + weight
                    + "; FP8 block dequantization needs a 2-D F8_E4M3 weight");
        }
        if (!scaleInv.dtype().isFloatingPoint() || scaleInv.dtype() == DType.F8_E4M3) {
            throw scaleInv.formatError("tensor " + scaleInv.name() + " is " + scaleInv.dtype()
                    + "; block scales must be F32 (or BF16/F16)");
        }
        long[] expected = {ceilDiv(weight.dim(0), blockRows), ceilDiv(weight.dim(1), blockCols)};
        if (!Arrays.equals(scaleInv.shape(), expected)) {
            throw scaleInv.formatError("tensor " + scaleInv.name() + " has shape "
                    + Shapes.format(scaleInv.shape()) + " but " + weight.name() + " of shape "
                    + Shapes.format(weight.shape()) + " in " + blockRows + " × " + blockCols
                    + " blocks needs " + Shapes.format(expected) + "; the block size does not match"
                    + " quantization_config.weight_block_size, or the scales belong to another tensor");
        }
    }

    private static long ceilDiv(long value, int divisor) {
        return Math.ceilDiv(value, (long) divisor);
    }
}
