package io.podserve.cli.engine;

import io.podserve.engine.EngineConfig;
import io.podserve.model.checkpoint.ModelSummary;
import io.podserve.model.config.ModelConfig;
import io.podserve.units.model.ModelOptions;
import picocli.CommandLine.Option;

import java.time.Duration;

/** The engine's limits and KV cache size, shared by every command that runs the engine. */
public final class EngineOptions {
    @Option(names = "--max-num-seqs", defaultValue = "64", paramLabel = "N",
            description = "requests in the running batch at most (default: ${DEFAULT-VALUE})")
    int maxNumSeqs;

    @Option(names = "--max-batched-tokens", defaultValue = "512", paramLabel = "N",
            description = "tokens per step at most, prefill chunks plus decode tokens (default: ${DEFAULT-VALUE})")
    int maxBatchedTokens;

    @Option(names = "--max-waiting", defaultValue = "1024", paramLabel = "N",
            description = "requests queued beyond the running batch before new ones are refused (default: ${DEFAULT-VALUE})")
    int maxWaiting;

    @Option(names = "--kv-cache-gb", defaultValue = "1", paramLabel = "G",
            description = "memory for the KV cache in GiB, all layers (default: ${DEFAULT-VALUE})")
    double kvCacheGb;

    @Option(names = "--block-size", defaultValue = "16", paramLabel = "TOKENS",
            description = "tokens per KV page (default: ${DEFAULT-VALUE})")
    int blockSize;

    @Option(names = "--batch-wait-ms", defaultValue = "5", paramLabel = "MS",
            description = "when a request finds the engine idle, wait this long for others (or until they fill a "
                    + "step) so a burst starts as one batch (default: ${DEFAULT-VALUE})")
    double batchWaitMs;

    @Option(names = "--no-prefix-caching", description = "do not share the KV of equal prompt prefixes")
    boolean noPrefixCaching;

    public EngineConfig engineConfig() {
        if (!(batchWaitMs >= 0)) {
            throw new IllegalArgumentException("--batch-wait-ms must be >= 0, got " + batchWaitMs);
        }
        return new EngineConfig(maxNumSeqs, maxBatchedTokens, maxWaiting, !noPrefixCaching,
                Duration.ofNanos(Math.round(batchWaitMs * 1e6)));
    }

    /** KV pages that fit {@code --kv-cache-gb} for this model, and the other load-time choices. */
    public ModelOptions modelOptions(ModelConfig config, boolean q8) {
        if (!(kvCacheGb > 0) || blockSize < 1) {
            throw new IllegalArgumentException("--kv-cache-gb must be > 0 and --block-size >= 1, got " + kvCacheGb
                    + " and " + blockSize);
        }
        long pageBytes = ModelSummary.kvBytesPerToken(config) * blockSize;
        long pages = (long) (kvCacheGb * (1L << 30)) / pageBytes;
        if (pages < 1) {
            throw new IllegalArgumentException("--kv-cache-gb " + kvCacheGb + " holds not even one KV page of "
                    + pageBytes + " bytes for this model");
        }
        return new ModelOptions(blockSize, (int) Math.min(pages, Integer.MAX_VALUE), q8);
    }
}
