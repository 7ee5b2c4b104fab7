package io.podserve.engine.sched;

import io.podserve.engine.api.FinishReason;

import java.util.Arrays;
import java.util.Set;

/**
 * One generation request as the scheduler sees it: its tokens (prompt, then output as it is
 * sampled), how many of them have KV computed, and its token-level stop conditions. Stop strings
 * are the detokenizer's business. Owned by the engine thread.
 */
public final class Request {
    /** Lifecycle: waiting (or preempted) → running → finished. */
    public enum Status { WAITING, RUNNING, FINISHED }

    private final long id;
    private final int numPromptTokens;
    private final int maxTokens;
    private final Set<Integer> eosIds;
    private int[] tokens;
    private int numTokens;
    private int numComputedTokens;
    private Status status = Status.WAITING;
    private FinishReason finishReason;
    private int numPreemptions;

    public Request(long id, int[] prompt, int maxTokens, Set<Integer> eosIds) {
        if (prompt.length == 0) {
            throw new IllegalArgumentException("request " + id + ": the prompt is empty");
        }
        if (maxTokens <= 0) {
            throw new IllegalArgumentException("request " + id + ": max_tokens must be positive, got " + maxTokens);
        }
        this.id = id;
        this.numPromptTokens = prompt.length;
        this.maxTokens = maxTokens;
        this.eosIds = Set.copyOf(eosIds);
        this.tokens = Arrays.copyOf(prompt, prompt.length + Math.min(maxTokens, 256));
        this.numTokens = prompt.length;
    }

    public long id() {
        return id;
    }

    /** Prompt and output tokens so far; entries past {@link #numTokens()} are not tokens. */
    public int[] tokens() {
        return tokens;
    }

    public int numTokens() {
        return numTokens;
    }

    public int numPromptTokens() {
        return numPromptTokens;
    }

    public int numOutputTokens() {
        return numTokens - numPromptTokens;
    }

    public int[] outputTokens() {
        return Arrays.copyOfRange(tokens, numPromptTokens, numTokens);
    }

    /** Tokens whose KV is in the cache (computed, or shared from the prefix cache). */
    public int numComputedTokens() {
        return numComputedTokens;
    }

    public int maxTokens() {
        return maxTokens;
    }

    public Status status() {
        return status;
    }

    public FinishReason finishReason() {
        return finishReason;
    }

    public int numPreemptions() {
        return numPreemptions;
    }

    /** Tokens this request can still hold at most: its prompt plus every output it may produce. */
    int maxLength() {
        return numPromptTokens + maxTokens;
    }

    void setStatus(Status s) {
        status = s;
    }

    void setComputed(int n) {
        numComputedTokens = n;
    }

    /** Forgets the computed KV: preemption by recompute keeps the tokens and recomputes their KV. */
    void preempt() {
        numComputedTokens = 0;
        numPreemptions++;
        status = Status.WAITING;
    }

    /** Appends a sampled token and reports whether it ends the request. */
    boolean appendAndCheckStop(int token) {
        if (numTokens == tokens.length) {
            tokens = Arrays.copyOf(tokens, Math.min(maxLength(), tokens.length * 2));
        }
        tokens[numTokens++] = token;
        if (eosIds.contains(token)) {
            finishReason = FinishReason.STOP;
        } else if (numOutputTokens() >= maxTokens) {
            finishReason = FinishReason.LENGTH;
        }
        return finishReason != null;
    }

    void finish(FinishReason reason) {
        if (finishReason == null) {
            finishReason = reason;
        }
        status = Status.FINISHED;
    }
}
