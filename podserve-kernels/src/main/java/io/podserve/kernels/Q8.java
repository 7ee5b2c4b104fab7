package io.podserve.kernels;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.stream.IntStream;

/**
 * The Q8 weight format: symmetric 8-bit block quantization along a row ({@code in}), blocks of
 * {@value #BLOCK_SIZE} int8 quants with one f32 scale each, {@code scale = max|w| / 127} and
 * {@code w ≈ q · scale} with {@code q = round(w / scale)} in [-127, 127].
 *
 * <p>Layout of the segment, two planes:
 * <pre>
 *   quants  int8 [rows, cols]            at offset 0
 *   scales  f32  [rows, numBlocks(cols)] at offset rows · cols
 * </pre>
 * The last block of a row is partial when {@code cols} is not a multiple of 32; its scale covers
 * the elements it has. Dequantization error per element is at most {@code scale / 2} (plus one f32
 * rounding), so a dot product with x errs by at most {@code Σ_blocks scale/2 · Σ_block |x_i|}.
 */
public final class Q8 {
    /** Elements per block; equals {@link WeightFormat#Q8}'s block size. */
    public static final int BLOCK_SIZE = 32;

    private Q8() {
    }

    /** Byte offset of the scale plane. */
    public static long scalesOffset(int rows, int cols) {
        return (long) rows * cols;
    }

    /** Byte offset of the scale of block {@code block} of row {@code row}. */
    public static long scaleOffset(Weights w, int row, int block) {
        return scalesOffset(w.rows(), w.cols()) + ((long) row * WeightFormat.Q8.numBlocks(w.cols()) + block) * 4;
    }

    /** Dequantized element {@code [row, col]}. */
    public static float get(Weights w, int row, int col) {
        byte q = w.data().get(ValueLayout.JAVA_BYTE, (long) row * w.cols() + col);
        return q * w.data().get(Weights.F32, scaleOffset(w, row, col / BLOCK_SIZE));
    }

    /**
     * Quantizes F32, BF16 or F16 weights to Q8 in a new segment of {@code arena}. Runs at load on
     * the common fork-join pool, one row per task, so {@code source} and {@code arena} must be
     * usable from other threads (not confined); not for hot paths.
     */
    public static Weights quantize(Weights source, Arena arena) {
        if (source.format() == WeightFormat.Q8) {
            return source;
        }
        Weights q8 = Weights.allocate(arena, WeightFormat.Q8, source.rows(), source.cols());
        IntStream.range(0, source.rows()).parallel().forEach(row -> quantizeRow(source, row, q8));
        return q8;
    }

    private static void quantizeRow(Weights source, int row, Weights q8) {
        int cols = source.cols();
        float[] values = new float[cols];
        for (int c = 0; c < cols; c++) {
            values[c] = source.get(row, c);
        }
        MemorySegment data = q8.data();
        long quantBase = (long) row * cols;
        for (int block = 0, from = 0; from < cols; block++, from += BLOCK_SIZE) {
            int to = Math.min(cols, from + BLOCK_SIZE);
            float maxAbs = 0;
            for (int c = from; c < to; c++) {
                maxAbs = Math.max(maxAbs, Math.abs(values[c]));
            }
            float scale = maxAbs / 127f;
            // NOTE: multiply by 127/max rather than divide by scale: one rounding per element either
            // way, and a zero block quantizes to zeros without dividing by zero.
            float inverse = maxAbs == 0 ? 0 : 127f / maxAbs;
            for (int c = from; c < to; c++) {
                int q = Math.round(values[c] * inverse);
                data.set(ValueLayout.JAVA_BYTE, quantBase + c, (byte) Math.clamp(q, -127, 127));
            }
            data.set(Weights.F32, scaleOffset(q8, row, block), scale);
        }
    }
}
