package io.podserve.engine;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Level;
import java.util.logging.Logger;

import io.podserve.engine.api.EngineClient;
import io.podserve.engine.api.EngineOverloadedException;
import io.podserve.engine.api.EngineStats;
import io.podserve.engine.api.FinishReason;
import io.podserve.engine.api.GenerationHandle;
import io.podserve.engine.api.GenerationRequest;
import io.podserve.engine.api.RequestTooLargeException;
import io.podserve.engine.api.SamplingOptions;
import io.podserve.engine.kv.BlockManager;
import io.podserve.engine.output.OutputText;
import io.podserve.engine.sched.Request;
import io.podserve.engine.sched.ScheduledChunk;
import io.podserve.engine.sched.Scheduler;
import io.podserve.engine.sched.SchedulerOutput;
import io.podserve.model.tokenizer.Tokenizer;
import io.podserve.units.model.Logits;
import io.podserve.units.model.Model;
import io.podserve.units.placement.LocalPlacement;

/**
 * One collocated engine instance: a thread that loops schedule → run the model → sample → update
 * → stream, over requests that other threads submit. The loop owns the scheduler, the block
 * manager, the model and every request's state; other threads reach it only through the inbox
 * (new requests, cancellations) and read back events and a stats snapshot.
 *
 * <p>The KV pages are the model's; the block manager hands them out by index, so it is sized from
 * the model's options. A step that throws fails the requests then live (their streams get
 * {@code Failed}) and the engine goes on with new ones.
 */
public final class LlmEngine implements EngineClient {
    private static final Logger LOG = Logger.getLogger(LlmEngine.class.getName());

    private final Model model;
    private final Tokenizer tokenizer;
    private final Set<Integer> eosIds;
    private final EngineConfig config;
    private final int maxModelLen;
    private final LinkedBlockingQueue<Object> inbox = new LinkedBlockingQueue<>();
    private final AtomicInteger numLive = new AtomicInteger();
    private final AtomicLong nextId = new AtomicLong();
    private final Thread thread;
    private volatile boolean accepting = true;
    private volatile long stopDeadlineNanos = Long.MAX_VALUE;
    private volatile boolean stopRequested;
    private volatile String deathCause;
    private volatile EngineStats stats = new EngineStats(0, 0, 0, 0, 0, 0, 0);

    // Engine-thread state.
    private BlockManager kv;
    private Scheduler scheduler;
    private final ModelRunner runner;
    private final Map<Long, RequestState> live = new HashMap<>();
    private final MemorySegment logitRow;
    private long numPreemptions;
    private long numSteps;

    private record Cancel(long id) {
    }

    private LlmEngine(Model model, Tokenizer tokenizer, Set<Integer> eosIds, EngineConfig config) {
        this.model = model;
        this.tokenizer = tokenizer;
        this.eosIds = Set.copyOf(eosIds);
        this.config = config;
        int numPages = model.options().numKvPages();
        int blockSize = model.options().blockSize();
        this.maxModelLen = Math.min(model.config().maxPositionEmbeddings(), numPages * blockSize);
        resetScheduler();
        this.runner = new ModelRunner(model, new LocalPlacement());
        this.logitRow = Arena.ofAuto().allocate((long) model.config().vocabSize() * Float.BYTES, 64);
        this.thread = Thread.ofPlatform().name("podserve-engine").daemon(true).unstarted(this::loop);
    }

    /**
     * Starts an engine over a loaded model. The model must not be used by anyone else until
     * {@link #shutdown} returns; the caller closes it afterwards.
     *
     * @param eosIds the model's end ids (generation_config.json)
     */
    public static LlmEngine start(Model model, Tokenizer tokenizer, Set<Integer> eosIds, EngineConfig config) {
        LlmEngine engine = new LlmEngine(model, tokenizer, eosIds, config);
        engine.thread.start();
        return engine;
    }

    @Override
    public GenerationHandle submit(GenerationRequest request) {
        if (!accepting) {
            throw new EngineOverloadedException(deathCause != null ? "the engine stopped: " + deathCause
                    : "the engine is shutting down");
        }
        SamplingOptions o = request.sampling();
        int vocab = model.config().vocabSize();
        for (int t : request.prompt()) {
            if (t < 0 || t >= vocab) {
                throw new IllegalArgumentException("prompt token id " + t + " is outside the vocabulary [0, " + vocab + ")");
            }
        }
        long total = (long) request.prompt().length + o.maxTokens();
        if (total > maxModelLen) {
            throw new RequestTooLargeException("this model's maximum context length is " + maxModelLen
                    + " tokens; the request asks for " + total + " (" + request.prompt().length + " in the prompt, "
                    + o.maxTokens() + " for the completion); shorten the prompt or max_tokens");
        }
        if (numLive.incrementAndGet() > config.maxNumSeqs() + config.maxWaiting()) {
            numLive.decrementAndGet();
            throw new EngineOverloadedException("the engine holds " + (config.maxNumSeqs() + config.maxWaiting())
                    + " requests already; retry later");
        }
        long id = nextId.getAndIncrement();
        Set<Integer> ends = new HashSet<>(o.stopTokenIds());
        if (!o.ignoreEos()) {
            ends.addAll(eosIds);
        }
        Request r = new Request(id, request.prompt(), o.maxTokens(), ends);
        EventStream stream = new EventStream(request.id(), id, this::cancel);
        inbox.add(new RequestState(r, o, stream,
                new OutputText(tokenizer.streamingDecoder(o.skipSpecialTokens()), o.stop())));
        return stream;
    }

    @Override
    public int maxModelLen() {
        return maxModelLen;
    }

    @Override
    public EngineStats stats() {
        return stats;
    }

    @Override
    public void shutdown(Duration grace) {
        accepting = false;
        if (!stopRequested) {
            stopDeadlineNanos = System.nanoTime() + grace.toNanos();
            stopRequested = true;
        }
        inbox.add(Boolean.TRUE); // wakes the loop
        try {
            thread.join(grace.plusSeconds(30));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void cancel(long id) {
        inbox.add(new Cancel(id));
    }

    private void loop() {
        try {
            runLoop();
        } catch (Throwable t) {
            // NOTE: an Error (out of memory, a broken class path) must not leave readers waiting forever:
            // every request in flight or queued fails with the reason, and later submits are refused.
            LOG.log(Level.SEVERE, "the engine thread died; failing every request", t);
            deathCause = t.toString();
            accepting = false;
            failAll("the engine stopped: " + t);
            for (Object o = inbox.poll(); o != null; o = inbox.poll()) {
                if (o instanceof RequestState s) {
                    s.fail("the engine stopped: " + t);
                    numLive.decrementAndGet();
                }
            }
        }
    }

    private void runLoop() {
        while (true) {
            try {
                drainInbox(!scheduler.hasWork());
            } catch (InterruptedException e) {
                return;
            }
            if (stopRequested && (live.isEmpty() || System.nanoTime() > stopDeadlineNanos)) {
                endAll(FinishReason.ABORT);
                publishStats();
                return;
            }
            if (scheduler.hasWork()) {
                step();
            }
            publishStats();
        }
    }

    /**
     * Takes new requests and cancellations. When idle, waits up to 50 ms for one; once one comes, waits up to
     * {@link EngineConfig#batchWait()} for others, or until the waiting prompts fill a step's token budget.
     */
    private void drainInbox(boolean idle) throws InterruptedException {
        Object o = idle ? inbox.poll(50, TimeUnit.MILLISECONDS) : inbox.poll();
        long deadline = System.nanoTime() + config.batchWait().toNanos();
        long waitingTokens = 0;
        while (o != null) {
            waitingTokens += take(o);
            o = inbox.poll();
            if (o == null && idle && waitingTokens > 0 && waitingTokens < config.maxBatchedTokens()
                    && !stopRequested) {
                long left = deadline - System.nanoTime();
                if (left > 0) {
                    o = inbox.poll(left, TimeUnit.NANOSECONDS);
                }
            }
        }
    }

    /** Admits a request or applies a cancellation; returns the prompt tokens admitted. */
    private int take(Object o) {
        if (o instanceof RequestState s) {
            live.put(s.request.id(), s);
            scheduler.add(s.request);
            return s.request.numPromptTokens();
        }
        if (o instanceof Cancel(long id)) {
            RequestState s = live.get(id);
            if (s != null && scheduler.abort(id)) {
                retire(s, FinishReason.ABORT);
            }
        }
        return 0;
    }

    private void step() {
        SchedulerOutput out = scheduler.schedule();
        numPreemptions += out.preempted().size();
        if (out.isEmpty()) {
            return;
        }
        int[] sampled = new int[out.chunks().size()];
        try {
            Logits logits = runner.run(out, kv);
            int row = 0;
            for (int i = 0; i < out.chunks().size(); i++) {
                ScheduledChunk c = out.chunks().get(i);
                RequestState s = live.get(c.request().id());
                s.noteFirstChunk(c.start());
                if (c.samples()) {
                    MemorySegment.copy(logits.values(), row * logits.vocab(), logitRow, ValueLayout.JAVA_FLOAT, 0,
                            logits.vocab());
                    sampled[i] = s.sample(logitRow, 0, logits.vocab());
                    row++;
                }
            }
        } catch (RuntimeException e) {
            LOG.log(Level.SEVERE, "engine step failed; failing the requests in flight", e);
            failAll("the engine failed while running this request: " + e);
            return;
        }
        numSteps++;
        scheduler.update(out, sampled);
        for (ScheduledChunk c : out.chunks()) {
            if (c.samples()) {
                stream(live.get(c.request().id()));
            }
        }
    }

    /** Streams a request's newest token and ends it if that token, or a stop string, finished it. */
    private void stream(RequestState s) {
        Request r = s.request;
        boolean endedByToken = r.status() == Request.Status.FINISHED && r.finishReason() == FinishReason.STOP;
        boolean stopString = s.emitNewest(endedByToken);
        if (stopString && r.status() != Request.Status.FINISHED) {
            scheduler.finish(r.id(), FinishReason.STOP);
        }
        if (r.status() == Request.Status.FINISHED) {
            retire(s, r.finishReason());
        }
    }

    private void retire(RequestState s, FinishReason reason) {
        live.remove(s.request.id());
        numLive.decrementAndGet();
        s.finish(reason);
    }

    private void endAll(FinishReason reason) {
        for (RequestState s : new ArrayList<>(live.values())) {
            scheduler.abort(s.request.id());
            retire(s, reason);
        }
    }

    /** After a failed step the scheduler's view and the KV pages can disagree: start both afresh. */
    private void failAll(String message) {
        for (RequestState s : live.values()) {
            s.fail(message);
            numLive.decrementAndGet();
        }
        live.clear();
        resetScheduler();
    }

    private void resetScheduler() {
        kv = new BlockManager(model.options().numKvPages(), model.options().blockSize(), config.prefixCaching());
        scheduler = new Scheduler(kv, config.maxNumSeqs(), config.maxBatchedTokens());
    }

    private void publishStats() {
        stats = new EngineStats(scheduler.numRunning(), scheduler.numWaiting(), kv.usage(), kv.numQueriedTokens(),
                kv.numHitTokens(), numPreemptions, numSteps);
    }
}
