package io.podserve.engine.sched;

import java.util.List;

/**
 * What one step runs: chunks in batch order (running requests first, then newly admitted ones),
 * and the requests preempted to make room (their KV is gone; they wait to be recomputed).
 * Immutable.
 */
public record SchedulerOutput(List<ScheduledChunk> chunks, List<Request> preempted) {
    public SchedulerOutput {
        chunks = List.copyOf(chunks);
        preempted = List.copyOf(preempted);
    }

    public int numTokens() {
        return chunks.stream().mapToInt(ScheduledChunk::numTokens).sum();
    }

    public boolean isEmpty() {
        return chunks.isEmpty();
    }
}
