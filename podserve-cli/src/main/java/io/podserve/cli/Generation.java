package io.podserve.cli;

import io.podserve.kernels.sampling.Sampler;
import io.podserve.units.model.Chunk;
import io.podserve.units.model.Logits;
import io.podserve.units.model.Model;
import io.podserve.units.model.Sequence;
import io.podserve.units.placement.LocalPlacement;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.BooleanSupplier;
import java.util.function.IntConsumer;

/**
 * One sequence generated on a loaded model, one token per step: the loop behind {@code generate}
 * and {@code demo} (the serving engine batches many). Owned by the calling thread.
 *
 * @param ids          the generated tokens, the stop token excluded
 * @param finishReason "stop" (an eos id), "length" (max tokens) or "interrupted"
 * @param seconds      wall time from the prompt's prefill to the last step
 */
record Generation(List<Integer> ids, String finishReason, double seconds) {

    /**
     * Prefills {@code prompt}, then samples until an eos id, {@code maxTokens}, or {@code stop}
     * says so; {@code onToken} sees each kept token as soon as it is chosen.
     */
    static Generation run(Model model, int[] prompt, Sampler sampler, Set<Integer> eos, int maxTokens,
                          BooleanSupplier stop, IntConsumer onToken) {
        long start = System.nanoTime();
        Sequence seq = model.newSequence();
        List<Integer> ids = new ArrayList<>();
        String finish = "length";
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment row = arena.allocate((long) model.config().vocabSize() * Float.BYTES, 64);
            Logits logits = model.step(List.of(new Chunk(seq, prompt, false)), new LocalPlacement());
            while (ids.size() < maxTokens) {
                if (stop.getAsBoolean()) {
                    finish = "interrupted";
                    break;
                }
                // NOTE: the sampler's vector loops read off-heap rows only (heap float[] segments are not supported).
                MemorySegment.copy(logits.values(), 0, row, ValueLayout.JAVA_FLOAT, 0, logits.vocab());
                int next = sampler.sample(row, 0, logits.vocab());
                if (eos.contains(next)) {
                    finish = "stop";
                    break;
                }
                ids.add(next);
                onToken.accept(next);
                logits = model.step(List.of(new Chunk(seq, new int[] {next}, false)), new LocalPlacement());
            }
        } finally {
            model.release(seq);
        }
        return new Generation(ids, finish, (System.nanoTime() - start) / 1e9);
    }

    int[] idArray() {
        return ids.stream().mapToInt(Integer::intValue).toArray();
    }
}
