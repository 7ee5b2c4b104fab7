package io.podserve.cli.plan;

import io.podserve.cli.bench.DecodeBatch;
import io.podserve.planner.calibrate.Measurement;
import io.podserve.planner.cost.StepBatch;
import io.podserve.units.model.Chunk;
import io.podserve.units.model.Model;
import io.podserve.units.model.Sequence;
import io.podserve.units.placement.LocalPlacement;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/** Times podserve's model steps, each described as the planner's {@link StepBatch}. Single-threaded caller. */
final class StepTimer {
    private final Model model;
    private final int steps;
    private final LocalPlacement placement = new LocalPlacement();
    private final SplittableRandom random = new SplittableRandom(11);

    StepTimer(Model model, int steps) {
        this.model = model;
        this.steps = steps;
    }

    List<Measurement> measure(int[] batches, int[] contexts, int[] prefills) {
        List<Measurement> out = new ArrayList<>();
        int shortest = java.util.Arrays.stream(contexts).min().orElse(64);
        for (int context : contexts) {
            for (int batch : batches) {
                if (context != shortest && batch > 4) {
                    continue; // long contexts at large batches take long to prefill; their KV reads show at small ones
                }
                System.err.printf("decode batch %d at context %d%n", batch, context);
                out.add(decode(batch, context));
            }
        }
        for (int n : prefills) {
            System.err.printf("prefill chunk of %d%n", n);
            out.add(prefill(n));
        }
        return out;
    }

    private Measurement decode(int batch, int context) {
        double seconds = 0;
        double kvRead = 0;
        try (DecodeBatch decoding = new DecodeBatch(model, batch, context, random, placement)) {
            for (int i = 0; i < 2 * steps; i++) {
                long ctx = decoding.nextContextTokens();
                double t = decoding.step(placement);
                if (i >= steps) { // the first half warms the JIT and caches
                    seconds += t;
                    kvRead += ctx;
                }
            }
        }
        double ctx = kvRead / steps / batch;
        return new Measurement("decode b" + batch + " ctx" + context,
                new StepBatch(batch, batch, batch, batch * ctx, batch * ctx, false), seconds / steps);
    }

    private Measurement prefill(int n) {
        int[] prompt = tokens(n);
        double best = Double.MAX_VALUE;
        for (int run = 0; run < 3; run++) {
            Sequence s = model.newSequence();
            long t0 = System.nanoTime();
            model.step(List.of(new Chunk(s, prompt, false)), placement);
            best = Math.min(best, (System.nanoTime() - t0) / 1e9);
            model.release(s);
        }
        return new Measurement("prefill " + n, StepBatch.prefill(n), best);
    }

    private int[] tokens(int n) {
        return random.ints(n, 0, model.config().vocabSize()).toArray();
    }
}
