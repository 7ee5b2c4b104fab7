package io.podserve.engine;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import io.podserve.engine.kv.BlockManager;
import io.podserve.engine.sched.Request;
import io.podserve.engine.sched.ScheduledChunk;
import io.podserve.engine.sched.SchedulerOutput;
import io.podserve.units.model.Logits;
import io.podserve.units.model.Model;
import io.podserve.units.model.PagedChunk;
import io.podserve.units.placement.Placement;

/**
 * Runs a scheduled step on the model: each chunk becomes the tokens at its positions with the
 * block table the block manager gave its request; only chunks that sample ask for logits. Owned
 * by the engine thread.
 */
final class ModelRunner {
    private final Model model;
    private final Placement placement;

    ModelRunner(Model model, Placement placement) {
        this.model = model;
        this.placement = placement;
    }

    /** Logits of every sampling chunk's last row, in chunk order. */
    Logits run(SchedulerOutput out, BlockManager kv) {
        List<PagedChunk> chunks = new ArrayList<>(out.chunks().size());
        for (ScheduledChunk c : out.chunks()) {
            Request r = c.request();
            int[] tokens = Arrays.copyOfRange(r.tokens(), c.start(), c.start() + c.numTokens());
            chunks.add(new PagedChunk(kv.blockTable(r.id()), c.start(), tokens, c.samples() ? 1 : 0));
        }
        return model.stepPaged(chunks, placement);
    }
}
