package io.podserve.engine.sched;

import io.podserve.engine.api.FinishReason;
import io.podserve.engine.kv.BlockManager;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * Continuous batching: each step, running requests (oldest first) then waiting ones get tokens
 * to compute, up to a token budget and a running-request limit. A request's computed-token count
 * catches up with its token count: a prompt is prefilled in chunks as the budget allows, a prefix
 * cache hit starts it further on, and a running request with one new token decodes it — one path.
 *
 * <p>When blocks run out, the newest running request is preempted by recompute (its blocks
 * freed, its tokens kept; it waits at the head of the queue). Waiting requests are admitted in
 * arrival order; none is admitted in a step that had to preempt.
 *
 * <p>A step is {@link #schedule()} → the model runs the chunks → {@link #update}. Owned by the
 * engine thread.
 */
public final class Scheduler {
    private final BlockManager kv;
    private final int maxNumSeqs;
    private final int maxBatchedTokens;
    private final Deque<Request> waiting = new ArrayDeque<>();
    private final List<Request> running = new ArrayList<>();

    public Scheduler(BlockManager kv, int maxNumSeqs, int maxBatchedTokens) {
        if (maxNumSeqs <= 0 || maxBatchedTokens <= 0) {
            throw new IllegalArgumentException("need maxNumSeqs, maxBatchedTokens > 0");
        }
        this.kv = kv;
        this.maxNumSeqs = maxNumSeqs;
        this.maxBatchedTokens = maxBatchedTokens;
    }

    /**
     * Queues a request; rejects one that could never fit the KV cache, even alone, so accepted
     * work always completes.
     */
    public void add(Request r) {
        int needed = kv.blocksFor(r.maxLength());
        if (needed > kv.numBlocks()) {
            throw new IllegalArgumentException("request " + r.id() + " needs up to " + r.maxLength() + " tokens ("
                    + needed + " KV blocks) but the cache holds " + kv.numBlocks() * kv.blockSize()
                    + " tokens; shorten the prompt or max_tokens");
        }
        waiting.addLast(r);
    }

    public SchedulerOutput schedule() {
        List<ScheduledChunk> chunks = new ArrayList<>();
        List<Request> preempted = new ArrayList<>();
        int budget = maxBatchedTokens;
        for (int i = 0; i < running.size() && budget > 0; i++) {
            Request r = running.get(i);
            int n = Math.min(r.numTokens() - r.numComputedTokens(), budget);
            if (!makeRoom(r, r.numComputedTokens() + n, preempted)) {
                break; // r itself was preempted: it was the newest, nothing after it runs
            }
            chunks.add(chunk(r, n));
            budget -= n;
        }
        while (preempted.isEmpty() && budget > 0 && running.size() < maxNumSeqs && !waiting.isEmpty()) {
            Request r = waiting.peekFirst();
            if (!kv.holds(r.id())) {
                r.setComputed(kv.admit(r.id(), r.tokens(), r.numTokens()));
            }
            int n = Math.min(r.numTokens() - r.numComputedTokens(), budget);
            if (!kv.allocate(r.id(), r.numComputedTokens() + n)) {
                kv.free(r.id()); // give back the shared prefix; try again when blocks free up
                r.setComputed(0);
                break;
            }
            waiting.pollFirst();
            r.setStatus(Request.Status.RUNNING);
            running.add(r);
            chunks.add(chunk(r, n));
            budget -= n;
        }
        return new SchedulerOutput(chunks, preempted);
    }

    /**
     * Applies a step's results: {@code sampled[i]} is the token chosen for chunk i where it
     * samples (ignored elsewhere). Returns the requests that finished.
     */
    public List<Request> update(SchedulerOutput out, int[] sampled) {
        List<Request> finished = new ArrayList<>();
        for (int i = 0; i < out.chunks().size(); i++) {
            ScheduledChunk c = out.chunks().get(i);
            Request r = c.request();
            if (r.status() != Request.Status.RUNNING) {
                continue; // aborted while the step ran
            }
            r.setComputed(c.start() + c.numTokens());
            kv.cacheFullBlocks(r.id(), r.tokens(), r.numComputedTokens());
            if (c.samples() && r.appendAndCheckStop(sampled[i])) {
                release(r, null);
                finished.add(r);
            }
        }
        return finished;
    }

    /** Ends a request wherever it is (client gone, shutdown); its blocks are freed at once. */
    public boolean abort(long id) {
        return finish(id, FinishReason.ABORT);
    }

    /**
     * Ends a request wherever it is, for {@code reason} (ABORT: client gone or shutdown; STOP: a
     * stop string matched its text). Its blocks are freed at once.
     */
    public boolean finish(long id, FinishReason reason) {
        for (Request r : running) {
            if (r.id() == id) {
                release(r, reason);
                return true;
            }
        }
        for (Request r : waiting) {
            if (r.id() == id) {
                waiting.remove(r);
                if (kv.holds(id)) {
                    kv.free(id);
                }
                r.finish(reason);
                return true;
            }
        }
        return false;
    }

    public boolean hasWork() {
        return !running.isEmpty() || !waiting.isEmpty();
    }

    public int numRunning() {
        return running.size();
    }

    public int numWaiting() {
        return waiting.size();
    }

    /** Allocates blocks for r to hold {@code numTokens}, preempting the newest requests as needed. */
    private boolean makeRoom(Request r, int numTokens, List<Request> preempted) {
        while (!kv.allocate(r.id(), numTokens)) {
            Request victim = running.getLast();
            preempt(victim);
            preempted.add(victim);
            if (victim == r) {
                return false;
            }
        }
        return true;
    }

    private void preempt(Request victim) {
        running.remove(victim);
        kv.free(victim.id());
        victim.preempt();
        waiting.addFirst(victim);
    }

    private void release(Request r, FinishReason reason) {
        running.remove(r);
        kv.free(r.id());
        r.finish(reason);
    }

    private static ScheduledChunk chunk(Request r, int n) {
        return new ScheduledChunk(r, r.numComputedTokens(), n, r.numComputedTokens() + n == r.numTokens());
    }
}
