package io.podserve.engine.sched;

import io.podserve.engine.api.FinishReason;

import io.podserve.engine.kv.BlockManager;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The scheduler against a fake model whose next token depends only on the sequence's tokens, so
 * every schedule — chunked, batched, preempted, prefix-cached — must produce the same outputs.
 * Invariants are checked after every step.
 */
class SchedulerTest {
    private static final int VOCAB = 1000;
    private static final int EOS = 0;

    /** The fake model: a hash of the whole sequence so far. */
    private static int nextToken(Request r) {
        long h = 17;
        for (int i = 0; i < r.numTokens(); i++) {
            h = h * 1_000_003 + r.tokens()[i];
        }
        return (int) Math.floorMod(h, VOCAB - 1) + 1; // never EOS unless a test wants it
    }

    private static int[] prompt(int n, int seed) {
        return IntStream.range(0, n).map(i -> 1 + (i * 7 + seed * 13) % (VOCAB - 1)).toArray();
    }

    /** Runs to completion; checks budget, seq limit and KV integrity every step; returns outputs by id. */
    private static Map<Long, int[]> run(Scheduler s, BlockManager kv, List<Request> requests, int budget, int maxSeqs,
                                        List<SchedulerOutput> trace) {
        requests.forEach(s::add);
        Map<Long, int[]> out = new HashMap<>();
        for (int step = 0; s.hasWork(); step++) {
            assertTrue(step < 10_000, "no progress");
            SchedulerOutput o = s.schedule();
            if (trace != null) {
                trace.add(o);
            }
            assertTrue(o.numTokens() <= budget, "token budget");
            assertTrue(s.numRunning() <= maxSeqs, "running limit");
            assertFalse(o.isEmpty(), "a step with work schedules something");
            int[] sampled = o.chunks().stream().mapToInt(c -> {
                // the token the model would produce once this chunk's KV is computed
                return c.samples() ? nextToken(c.request()) : -1;
            }).toArray();
            for (Request f : s.update(o, sampled)) {
                out.put(f.id(), f.outputTokens());
            }
            kv.checkIntegrity();
        }
        return out;
    }

    private static List<Request> requests(int n, int maxTokens) {
        List<Request> rs = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            rs.add(new Request(i, prompt(5 + 9 * i, i), maxTokens, Set.of(EOS)));
        }
        return rs;
    }

    @Test
    void chunkedPrefillThenDecode() {
        BlockManager kv = new BlockManager(64, 16, false);
        Scheduler s = new Scheduler(kv, 8, 16);
        List<SchedulerOutput> trace = new ArrayList<>();
        Request r = new Request(7, prompt(40, 1), 3, Set.of(EOS));
        run(s, kv, List.of(r), 16, 8, trace);
        assertEquals(List.of(16, 16, 8, 1, 1), trace.stream().map(SchedulerOutput::numTokens).toList());
        assertFalse(trace.get(0).chunks().getFirst().samples());
        assertTrue(trace.get(2).chunks().getFirst().samples(), "the chunk reaching the prompt's end samples");
        assertEquals(3, r.numOutputTokens());
        assertEquals(FinishReason.LENGTH, r.finishReason());
    }

    @Test
    void batchedSchedulesGiveEachRequestItsOwnTokens() {
        Map<Long, int[]> alone = new HashMap<>();
        for (Request r : requests(12, 20)) {
            BlockManager kv = new BlockManager(256, 16, false);
            alone.putAll(run(new Scheduler(kv, 1, 4096), kv, List.of(r), 4096, 1, null));
        }
        BlockManager kv = new BlockManager(256, 16, false);
        Map<Long, int[]> batched = run(new Scheduler(kv, 16, 64), kv, requests(12, 20), 64, 16, null);
        assertEquals(12, batched.size());
        alone.forEach((id, tokens) -> assertArrayEquals(tokens, batched.get(id), "request " + id));
    }

    @Test
    void preemptionByRecomputeLosesNothing() {
        Map<Long, int[]> ample;
        {
            BlockManager kv = new BlockManager(512, 4, false);
            ample = run(new Scheduler(kv, 16, 128), kv, requests(10, 30), 128, 16, null);
        }
        BlockManager tiny = new BlockManager(40, 4, false); // far fewer blocks than 10 requests need at once
        List<Request> rs = requests(10, 30);
        List<SchedulerOutput> trace = new ArrayList<>();
        Map<Long, int[]> squeezed = run(new Scheduler(tiny, 16, 128), tiny, rs, 128, 16, trace);
        assertTrue(trace.stream().anyMatch(o -> !o.preempted().isEmpty()), "the tiny cache forced preemption");
        assertTrue(rs.stream().anyMatch(r -> r.numPreemptions() > 0));
        ample.forEach((id, tokens) -> assertArrayEquals(tokens, squeezed.get(id), "request " + id));
    }

    @Test
    void prefixCacheHitsSkipComputedBlocksAndKeepOutputs() {
        int[] shared = prompt(48, 3);
        BlockManager kv = new BlockManager(64, 16, true);
        Scheduler s = new Scheduler(kv, 4, 512);
        Request first = new Request(1, shared, 4, Set.of(EOS));
        run(s, kv, List.of(first), 512, 4, null);
        int[] longer = java.util.Arrays.copyOf(shared, 50);
        longer[48] = 5;
        longer[49] = 6;
        Request second = new Request(2, longer, 4, Set.of(EOS));
        List<SchedulerOutput> trace = new ArrayList<>();
        run(s, kv, List.of(second), 512, 4, trace);
        ScheduledChunk c = trace.getFirst().chunks().getFirst();
        assertEquals(48, c.start(), "three cached blocks");
        assertEquals(2, c.numTokens());
        assertEquals(48, kv.numHitTokens());
        BlockManager cold = new BlockManager(64, 16, false);
        Request again = new Request(3, longer, 4, Set.of(EOS));
        run(new Scheduler(cold, 4, 512), cold, List.of(again), 512, 4, null);
        assertArrayEquals(again.outputTokens(), second.outputTokens());
    }

    @Test
    void eosStopsARequest() {
        BlockManager kv = new BlockManager(16, 16, false);
        Scheduler s = new Scheduler(kv, 4, 64);
        Request r = new Request(1, prompt(5, 0), 50, Set.of(EOS));
        s.add(r);
        SchedulerOutput o = s.schedule();
        assertEquals(List.of(r), s.update(o, new int[] {EOS}));
        assertEquals(FinishReason.STOP, r.finishReason());
        assertEquals(16, kv.numFreeBlocks());
    }

    @Test
    void abortFreesBlocksAndOversizedRequestsAreRejected() {
        BlockManager kv = new BlockManager(8, 16, false);
        Scheduler s = new Scheduler(kv, 4, 64);
        Request r = new Request(1, prompt(20, 0), 10, Set.of(EOS));
        s.add(r);
        s.schedule();
        assertTrue(s.abort(1));
        assertEquals(FinishReason.ABORT, r.finishReason());
        assertEquals(8, kv.numFreeBlocks());
        assertFalse(s.hasWork());
        var e = assertThrows(IllegalArgumentException.class,
                () -> s.add(new Request(2, prompt(100, 0), 100, Set.of(EOS))));
        assertEquals("request 2 needs up to 200 tokens (13 KV blocks) but the cache holds 128 tokens; "
                + "shorten the prompt or max_tokens", e.getMessage());
    }
}
