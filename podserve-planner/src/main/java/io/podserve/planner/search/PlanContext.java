package io.podserve.planner.search;

import io.podserve.model.config.ModelConfig;
import io.podserve.planner.catalog.Hardware;
import io.podserve.planner.cost.ModelShape;
import io.podserve.planner.cost.StepBatch;
import io.podserve.planner.cost.Precision;
import io.podserve.planner.sim.Mtp;
import io.podserve.planner.sim.Slo;
import io.podserve.planner.sim.Workload;

/**
 * Everything a strategy is evaluated against.
 *
 * @param config           the model
 * @param shape            its sizes
 * @param precision        weight and KV storage
 * @param hw               the chip
 * @param workload         arrivals and lengths
 * @param slo              latency targets and the fraction of requests that must meet them
 * @param maxNumSeqs       running requests per rank at most
 * @param maxBatchedTokens tokens per step at most
 * @param blockSize        KV block size in tokens
 * @param mtp              multi-token prediction on decode
 * @param numRequests      requests simulated per run
 * @param seed             random seed of arrivals and lengths
 * @param kvCacheBytes     KV cache per chip when the server is told its size (podserve's
 *                         {@code --kv-cache-gb}); 0 to fill the memory the weights leave
 */
public record PlanContext(ModelConfig config, ModelShape shape, Precision precision, Hardware hw, Workload workload,
                          Slo slo, int maxNumSeqs, int maxBatchedTokens, int blockSize, Mtp mtp, int numRequests,
                          long seed, double kvCacheBytes) {

    /**
     * A decode step of {@code seqs} sequences over {@code context} cached positions each; with MTP
     * every sequence verifies its drafted tokens too, so it computes 1 + drafts rows.
     */
    public StepBatch decodeStep(long seqs, long context) {
        long rows = seqs * (1 + mtp.draftTokens());
        return new StepBatch(rows, seqs, rows, (double) rows * context, (double) seqs * context, false);
    }

    /**
     * Requests at the start of a run left out of its statistics (they meet an empty system); none
     * for a trace, which is replayed as recorded, from its own start.
     */
    public int warmup() {
        return workload.arrivals() == Workload.Arrivals.TRACE ? 0 : numRequests / 10;
    }
}
