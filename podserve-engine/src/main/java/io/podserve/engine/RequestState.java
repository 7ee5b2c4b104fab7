package io.podserve.engine;

import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;

import io.podserve.engine.api.FinishReason;
import io.podserve.engine.api.GenerationEvent;
import io.podserve.engine.api.SamplingOptions;
import io.podserve.engine.api.TokenOutput;
import io.podserve.engine.output.OutputText;
import io.podserve.engine.sched.Request;
import io.podserve.kernels.sampling.LogprobResult;
import io.podserve.kernels.sampling.Sampler;
import io.podserve.kernels.sampling.SamplingParams;

/**
 * Everything the engine keeps about one live request beside the scheduler's view: its sampler
 * (its own RNG), its output text, the tokens not yet sent, and its event stream. Made on the
 * submitting thread, then owned by the engine thread.
 */
final class RequestState {
    final Request request;
    final SamplingOptions options;
    final EventStream stream;
    private final Sampler sampler;
    private final OutputText text;
    private final List<TokenOutput> pending = new ArrayList<>();
    private int cachedPromptTokens = -1;

    RequestState(Request request, SamplingOptions options, EventStream stream, OutputText text) {
        this.request = request;
        this.options = options;
        this.stream = stream;
        this.text = text;
        this.sampler = new Sampler(new SamplingParams(options.temperature(), Math.max(options.topK(), 0),
                options.topP(), options.minP(), options.seed(), Math.max(options.topLogprobs(), 0)));
    }

    /** Notes the prefix-cache hit of the first admission (the first chunk's start). */
    void noteFirstChunk(int start) {
        if (cachedPromptTokens < 0) {
            cachedPromptTokens = start;
        }
    }

    /** Picks the next token from the logit row at {@code offset}, recording its logprobs if asked. */
    int sample(MemorySegment logits, long offset, int vocab) {
        int token = sampler.sample(logits, offset, vocab);
        if (options.topLogprobs() >= 0) {
            LogprobResult lp = sampler.logprobs(logits, offset, vocab, token);
            pending.add(new TokenOutput(token, lp.logprob(), lp.topTokens(), lp.topLogprobs()));
        } else {
            pending.add(new TokenOutput(token, Double.NaN, new int[0], new double[0]));
        }
        return token;
    }

    /**
     * Streams the newest token (already appended to the request): its text unless it is the stop
     * token that ended the request. Returns true when a stop string matched.
     */
    boolean emitNewest(boolean endedByToken) {
        String delta = endedByToken ? "" : text.add(request.tokens()[request.numTokens() - 1]);
        flushDelta(delta); // every token streams, even one whose text is still held back
        return text.stopped();
    }

    /** Sends what is held back and the final event. */
    void finish(FinishReason reason) {
        flushDelta(text.finish());
        stream.offer(new GenerationEvent.Finished(reason, request.numPromptTokens(), request.numOutputTokens(),
                Math.max(cachedPromptTokens, 0)));
    }

    void fail(String message) {
        stream.offer(new GenerationEvent.Failed(message));
    }

    private void flushDelta(String delta) {
        if (delta.isEmpty() && pending.isEmpty()) {
            return;
        }
        stream.offer(new GenerationEvent.Delta(delta, pending));
        pending.clear();
    }
}
