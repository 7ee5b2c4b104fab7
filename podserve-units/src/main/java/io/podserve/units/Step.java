package io.podserve.units;

import io.podserve.kernels.attention.KvCache;

/**
 * The description of one step of a batch: for each token row its position in its sequence and that
 * sequence's block table, plus the KV pages of every layer. Rows of one sequence are contiguous
 * and in position order; a prefill chunk and a decode token look alike (rows at some positions).
 * Built by the executor per step; units read it and write only the KV pages of their layer.
 *
 * <p>NOTE: {@code kvByLayer} holds plain paged K/V caches; an MLA attention unit keeps a latent
 * cache instead and will read its own per-layer state from here when it comes (a second array).
 *
 * @param rows        token rows in the step
 * @param positions   {@code [rows]}: each row's position in its sequence
 * @param blockTables {@code [rows]}: each row's sequence's block table (rows of a sequence share one array)
 * @param kvByLayer   the KV cache of each layer
 */
public record Step(int rows, int[] positions, int[][] blockTables, KvCache[] kvByLayer) {

    public Step {
        if (rows <= 0 || positions.length < rows || blockTables.length < rows) {
            throw new IllegalArgumentException("a step needs rows > 0 with a position and block table each");
        }
    }
}
