package io.podserve.engine;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import io.podserve.engine.FortuneModel.Result;
import io.podserve.engine.api.EngineOverloadedException;
import io.podserve.engine.api.FinishReason;
import io.podserve.engine.api.GenerationEvent;
import io.podserve.engine.api.GenerationHandle;
import io.podserve.engine.api.GenerationRequest;
import io.podserve.engine.api.RequestTooLargeException;
import io.podserve.engine.api.SamplingOptions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The engine on the real fortune-moe model: batching, prefix hits and preemption keep greedy outputs. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class LlmEngineTest {
    private static final int NUM_REQUESTS = 16;
    private static final int MAX_TOKENS = 24;
    private static FortuneModel fortune;
    private static List<int[]> prompts;
    private static List<Result> alone;

    @BeforeAll
    static void baseline() throws InterruptedException {
        fortune = new FortuneModel(256);
        prompts = new ArrayList<>();
        for (int i = 0; i < NUM_REQUESTS; i++) {
            prompts.add(fortune.prompt(i, 2 + 3 * i));
        }
        alone = new ArrayList<>();
        try (LlmEngine engine = fortune.start(EngineConfig.DEFAULTS.withPrefixCaching(false))) {
            for (int[] p : prompts) {
                alone.add(FortuneModel.generate(engine, p, SamplingOptions.greedy(MAX_TOKENS)));
            }
        }
    }

    @AfterAll
    static void close() {
        fortune.close();
    }

    @Test
    void concurrentGreedyRequestsGetWhatEachGetsAlone() throws InterruptedException {
        try (LlmEngine engine = fortune.start(EngineConfig.DEFAULTS.withMaxBatchedTokens(64))) {
            assertSameAsAlone(runConcurrently(engine, prompts));
            long steps = settledStats(engine).numSteps();
            assertTrue(steps > 0 && steps < NUM_REQUESTS * MAX_TOKENS, "requests were batched: " + steps + " steps");
        }
    }

    @Test
    void prefixCacheHitsKeepTheOutputs() throws InterruptedException {
        try (LlmEngine engine = fortune.start(EngineConfig.DEFAULTS)) {
            runConcurrently(engine, prompts);
            List<Result> again = runConcurrently(engine, prompts);
            assertSameAsAlone(again);
            assertTrue(engine.stats().prefixHits() > 0, "the second round hit the prefix cache");
            assertTrue(again.stream().anyMatch(r -> r.finished().cachedPromptTokens() > 0));
        }
    }

    @Test
    void preemptionByRecomputeKeepsTheOutputs() throws InterruptedException {
        try (FortuneModel tiny = new FortuneModel(12)) { // 192 tokens of KV for 16 requests of up to ~80
            try (LlmEngine engine = tiny.start(EngineConfig.DEFAULTS)) {
                assertSameAsAlone(runConcurrently(engine, prompts));
                assertTrue(engine.stats().numPreemptions() > 0, "the tiny cache forced preemptions");
                assertEquals(0.0, FortuneModel.awaitIdle(engine).kvCacheUsage(), 1e-9);
            }
        }
    }

    @Test
    void stopStringEndsTheTextBeforeIt() throws InterruptedException {
        Result full = alone.get(3);
        String stop = full.text().substring(full.text().length() / 2, full.text().length() / 2 + 3);
        int cut = full.text().indexOf(stop);
        try (LlmEngine engine = fortune.start(EngineConfig.DEFAULTS)) {
            Result r = FortuneModel.generate(engine, prompts.get(3), greedyWithStop(List.of(stop, "never-there")));
            assertEquals(full.text().substring(0, cut), r.text());
            assertEquals(FinishReason.STOP, r.finished().reason());
            assertEquals(0.0, FortuneModel.awaitIdle(engine).kvCacheUsage(), 1e-9);
        }
    }

    @Test
    void requestsArrivingWithinTheBatchWaitStartInOneStep() throws InterruptedException {
        // One token each, so every request takes exactly one step if all are admitted together.
        SamplingOptions one = SamplingOptions.greedy(1);
        try (LlmEngine engine = fortune.start(EngineConfig.DEFAULTS.withBatchWait(java.time.Duration.ofSeconds(2)))) {
            List<GenerationHandle> handles = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                handles.add(engine.submit(new GenerationRequest("b" + i, prompts.get(i), one)));
                Thread.sleep(20);   // arrivals spread over 40 ms, as an HTTP burst's are
            }
            for (int i = 0; i < handles.size(); i++) {
                assertEquals(alone.get(i).ids().subList(0, 1), FortuneModel.drain(handles.get(i)).ids());
            }
            assertEquals(1, settledStats(engine).numSteps(), "the three requests shared the first step");
        }
    }

    @Test
    void maxTokensEndsWithLengthAndUsageCountsTokens() throws InterruptedException {
        try (LlmEngine engine = fortune.start(EngineConfig.DEFAULTS)) {
            Result r = FortuneModel.generate(engine, prompts.get(0), new SamplingOptions(0, 1, 0, 0,
                    OptionalLong.empty(), 5, List.of(), Set.of(), true, 2, true));
            assertEquals(FinishReason.LENGTH, r.finished().reason());
            assertEquals(5, r.finished().completionTokens());
            assertEquals(prompts.get(0).length, r.finished().promptTokens());
            assertEquals(alone.get(0).ids().subList(0, Math.min(5, alone.get(0).ids().size())),
                    r.ids().subList(0, Math.min(5, alone.get(0).ids().size())));
        }
    }

    @Test
    void logprobsComeWithEachToken() throws InterruptedException {
        try (LlmEngine engine = fortune.start(EngineConfig.DEFAULTS)) {
            GenerationHandle h = engine.submit(new GenerationRequest("lp", prompts.get(1), new SamplingOptions(0, 1, 0,
                    0, OptionalLong.empty(), 4, List.of(), Set.of(), true, 3, true)));
            int n = 0;
            for (GenerationEvent e = h.poll(60, TimeUnit.SECONDS); !(e instanceof GenerationEvent.Finished);
                    e = h.poll(60, TimeUnit.SECONDS)) {
                for (var t : ((GenerationEvent.Delta) e).tokens()) {
                    assertEquals(3, t.topTokens().length);
                    assertEquals(t.topTokens()[0], t.token(), "greedy picks the most likely token");
                    assertEquals(t.topLogprobs()[0], t.logprob(), 1e-9);
                    assertTrue(t.logprob() <= 0);
                    n++;
                }
            }
            assertEquals(4, n);
        }
    }

    @Test
    void seededSamplingRepeats() throws InterruptedException {
        SamplingOptions o = new SamplingOptions(0.9, 0.95, 40, 0.02, OptionalLong.of(7), 16, List.of(), Set.of(), false,
                -1, true);
        try (LlmEngine engine = fortune.start(EngineConfig.DEFAULTS)) {
            Result a = FortuneModel.generate(engine, prompts.get(2), o);
            List<Result> batch = runConcurrently(engine, prompts, o);
            assertEquals(a.ids(), batch.get(2).ids(), "a seeded request samples the same alone and in a batch");
        }
    }

    @Test
    void cancelEndsTheStreamWithAbort() throws InterruptedException {
        try (LlmEngine engine = fortune.start(EngineConfig.DEFAULTS)) {
            GenerationHandle h = engine.submit(new GenerationRequest("c", prompts.get(5), new SamplingOptions(0, 1, 0,
                    0, OptionalLong.empty(), 500, List.of(), Set.of(), true, -1, true)));
            h.cancel();
            Result r = FortuneModel.drain(h);
            assertEquals(FinishReason.ABORT, r.finished().reason());
            assertTrue(r.ids().size() < 500);
            Result next = FortuneModel.generate(engine, prompts.get(0), SamplingOptions.greedy(MAX_TOKENS));
            assertEquals(alone.get(0).ids(), next.ids(), "the engine goes on after a cancellation");
        }
    }

    @Test
    void refusesWhatCannotFitAndWhatOverflowsTheQueue() {
        try (LlmEngine engine = fortune.start(EngineConfig.DEFAULTS.withMaxNumSeqs(1).withMaxWaiting(1))) {
            var tooLong = assertThrows(RequestTooLargeException.class, () -> engine.submit(new GenerationRequest("big",
                    prompts.get(0), SamplingOptions.greedy(engine.maxModelLen()))));
            assertTrue(tooLong.getMessage().contains("maximum context length is " + engine.maxModelLen()));
            assertThrows(IllegalArgumentException.class, () -> engine.submit(new GenerationRequest("bad",
                    new int[] {-1}, SamplingOptions.greedy(1))));
            SamplingOptions longRun = new SamplingOptions(0, 1, 0, 0, OptionalLong.empty(), 400, List.of(), Set.of(),
                    true, -1, true);
            engine.submit(new GenerationRequest("a", prompts.get(0), longRun));
            engine.submit(new GenerationRequest("b", prompts.get(0), longRun));
            var full = assertThrows(EngineOverloadedException.class, () -> engine.submit(new GenerationRequest("c",
                    prompts.get(0), longRun)));
            assertTrue(full.getMessage().contains("retry later"));
        }
    }

    @Test
    void shutdownEndsInFlightRequestsCleanly() throws InterruptedException {
        LlmEngine engine = fortune.start(EngineConfig.DEFAULTS);
        GenerationHandle h = engine.submit(new GenerationRequest("s", prompts.get(0), new SamplingOptions(0, 1, 0, 0,
                OptionalLong.empty(), 900, List.of(), Set.of(), true, -1, true)));
        engine.shutdown(Duration.ofMillis(200));
        Result r = FortuneModel.drain(h);
        assertNull(r.failure());
        assertEquals(FinishReason.ABORT, r.finished().reason());
        assertThrows(EngineOverloadedException.class, () -> engine.submit(new GenerationRequest("late",
                prompts.get(0), SamplingOptions.greedy(1))));
    }

    /**
     * The engine's stats once it has published those of its last step: the snapshot comes after the step's
     * events, so a reader that has just drained every stream can see the one before.
     */
    private static io.podserve.engine.api.EngineStats settledStats(LlmEngine engine) throws InterruptedException {
        long deadline = System.nanoTime() + 5_000_000_000L;
        var stats = engine.stats();
        while ((stats.numSteps() == 0 || stats.numRunning() + stats.numWaiting() > 0) && System.nanoTime() < deadline) {
            Thread.sleep(1);
            stats = engine.stats();
        }
        return stats;
    }

    private static SamplingOptions greedyWithStop(List<String> stop) {
        return new SamplingOptions(0, 1, 0, 0, OptionalLong.empty(), MAX_TOKENS, stop, Set.of(), false, -1, true);
    }

    private static List<Result> runConcurrently(LlmEngine engine, List<int[]> ps) throws InterruptedException {
        return runConcurrently(engine, ps, SamplingOptions.greedy(MAX_TOKENS));
    }

    private static List<Result> runConcurrently(LlmEngine engine, List<int[]> ps, SamplingOptions o)
            throws InterruptedException {
        List<GenerationHandle> handles = new ArrayList<>();
        for (int i = 0; i < ps.size(); i++) {
            handles.add(engine.submit(new GenerationRequest("r" + i, ps.get(i), o)));
        }
        List<Result> out = new ArrayList<>();
        for (GenerationHandle h : handles) {
            out.add(FortuneModel.drain(h));
        }
        return out;
    }

    private static void assertSameAsAlone(List<Result> results) {
        for (int i = 0; i < results.size(); i++) {
            assertNull(results.get(i).failure());
            assertEquals(alone.get(i).ids(), results.get(i).ids(), "request " + i + " tokens");
            assertEquals(alone.get(i).text(), results.get(i).text(), "request " + i + " text");
        }
    }
}
