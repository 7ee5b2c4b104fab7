package io.podserve.jmh.peer;

import java.nio.file.Path;
import java.util.List;

import io.podserve.kernels.cpu.CpuBackend;
import io.podserve.model.checkpoint.Checkpoint;
import io.podserve.units.model.Chunk;
import io.podserve.units.model.Model;
import io.podserve.units.model.ModelOptions;
import io.podserve.units.model.Sequence;
import io.podserve.units.placement.LocalPlacement;

/** podserve's collocated model on the CPU backend, weights as stored (no quantization). */
final class PodserveEngine implements DecodeEngine {
    private static final int BLOCK_SIZE = 16;

    private final Checkpoint checkpoint;
    private final CpuBackend backend;
    private final Model model;
    private final LocalPlacement placement = new LocalPlacement();
    private Sequence sequence;

    PodserveEngine(Path dir, int threads, int maxTokens) {
        checkpoint = Checkpoint.open(dir);
        backend = CpuBackend.vector(threads);
        model = Model.load(checkpoint, backend, new ModelOptions(BLOCK_SIZE, Math.ceilDiv(maxTokens, BLOCK_SIZE) + 1, false));
    }

    @Override
    public String name() {
        return "podserve";
    }

    @Override
    public int prefill(int[] prompt) {
        reset();
        sequence = model.newSequence();
        return step(prompt);
    }

    @Override
    public int decode(int token) {
        return step(new int[] {token});
    }

    private int step(int[] tokens) {
        return model.step(List.of(new Chunk(sequence, tokens, false)), placement).argmax(0);
    }

    @Override
    public void reset() {
        if (sequence != null) {
            model.release(sequence);
            sequence = null;
        }
    }

    @Override
    public void close() {
        reset();
        model.close();
        backend.close();
        checkpoint.close();
    }
}
