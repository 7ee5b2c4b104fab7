package io.podserve.cli.bench;

import io.podserve.units.model.Chunk;
import io.podserve.units.model.Logits;
import io.podserve.units.model.Model;
import io.podserve.units.model.Sequence;
import io.podserve.units.placement.Placement;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * {@code batch} sequences prefilled with random prompts of {@code context} tokens, then decoded
 * greedily one token per sequence per {@link #step}: the decode loop that benchmarks and the
 * planner's profiler time. Owned by the benchmark thread; {@link #close} releases the sequences.
 */
public final class DecodeBatch implements AutoCloseable {
    private final Model model;
    private final List<Sequence> seqs = new ArrayList<>();
    private final List<Chunk> chunks = new ArrayList<>();
    private Logits logits;

    public DecodeBatch(Model model, int batch, int context, SplittableRandom random, Placement placement) {
        this.model = model;
        for (int b = 0; b < batch; b++) {
            Sequence s = model.newSequence();
            seqs.add(s);
            chunks.add(new Chunk(s, random.ints(context, 0, model.config().vocabSize()).toArray(), false));
        }
        logits = model.step(chunks, placement);
    }

    /** Positions the next step's attention reads, over all sequences (each context plus its new token). */
    public long nextContextTokens() {
        return seqs.stream().mapToLong(s -> s.length() + 1).sum();
    }

    /** Decodes one token per sequence; returns the step's wall time in seconds. */
    public double step(Placement placement) {
        chunks.clear();
        for (int b = 0; b < seqs.size(); b++) {
            chunks.add(new Chunk(seqs.get(b), new int[] {logits.argmax(b)}, false));
        }
        long t0 = System.nanoTime();
        logits = model.step(chunks, placement);
        return (System.nanoTime() - t0) / 1e9;
    }

    @Override
    public void close() {
        seqs.forEach(model::release);
    }
}
