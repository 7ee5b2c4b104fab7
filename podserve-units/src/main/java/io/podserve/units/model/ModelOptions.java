package io.podserve.units.model;

/**
 * Load-time choices.
 *
 * @param blockSize  tokens per KV page
 * @param numKvPages KV pages per layer (the pool all sequences share; latent pages for an MLA model)
 * @param q8         quantize matmul weights to Q8 at load (norms, embedding and router stay as stored)
 */
public record ModelOptions(int blockSize, int numKvPages, boolean q8) {
    /** 16-token pages, 256 of them, weights as stored. */
    public static final ModelOptions DEFAULTS = new ModelOptions(16, 256, false);

    public ModelOptions {
        if (blockSize <= 0 || numKvPages <= 0) {
            throw new IllegalArgumentException("block size and KV pages must be > 0, got " + blockSize + ", "
                    + numKvPages);
        }
    }

    public ModelOptions withQ8(boolean quantize) {
        return new ModelOptions(blockSize, numKvPages, quantize);
    }

    public ModelOptions withBlockSize(int size) {
        return new ModelOptions(size, numKvPages, q8);
    }
}
