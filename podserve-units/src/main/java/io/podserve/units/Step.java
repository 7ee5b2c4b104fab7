package io.podserve.units;

import io.podserve.kernels.attention.KvCache;
import io.podserve.kernels.mla.LatentCache;

/**
 * The description of one step of a batch: for each token row its position in its sequence and that
 * sequence's block table, plus the per-layer attention caches. Rows of one sequence are contiguous
 * and in position order; a prefill chunk and a decode token look alike (rows at some positions).
 * Built by the executor per step; units read it and write only the cache pages of their layer.
 *
 * <p>NOTE: a model has exactly one kind of cache per layer: plain paged K/V ({@code kvByLayer}) for
 * ordinary attention, or MLA's latent rows ({@code latentByLayer}) for DeepSeek-V3; the other array
 * is null. Both kinds share the block tables: page {@code p} of a sequence is page {@code p} of
 * every layer's cache.
 *
 * @param rows          token rows in the step
 * @param positions     {@code [rows]}: each row's position in its sequence
 * @param blockTables   {@code [rows]}: each row's sequence's block table (rows of a sequence share one array)
 * @param kvByLayer     the K/V cache of each layer, or null for an MLA model
 * @param latentByLayer the latent cache of each layer, or null unless the model uses MLA
 */
public record Step(int rows, int[] positions, int[][] blockTables, KvCache[] kvByLayer,
        LatentCache[] latentByLayer) {

    public Step {
        if (rows <= 0 || positions.length < rows || blockTables.length < rows) {
            throw new IllegalArgumentException("a step needs rows > 0 with a position and block table each");
        }
        if ((kvByLayer == null) == (latentByLayer == null)) {
            throw new IllegalArgumentException("a step carries either K/V caches or latent caches");
        }
    }
}
