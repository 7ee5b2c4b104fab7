package io.podserve.kernels.sampling;

import java.lang.foreign.MemorySegment;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;

/**
 * Picks the next token of one sequence. Each sequence owns a sampler, so its RNG is its own: a
 * seeded sequence draws the same tokens from the same logits whatever the rest of the batch does.
 * Not thread-safe; one sequence samples from one thread at a time. The scratch buffers live in a
 * {@link SamplingWorkspace}, which samplers run by one thread may share.
 *
 * <p>Order of operations: greedy when temperature is 0; otherwise
 * logits / temperature → top-k → top-p → min-p → renormalize → draw.
 * NOTE: this is vLLM's v0 sampler order. vLLM's v1 sampler applies min-p before top-k/top-p; min-p's
 * own cut is the same either way (it is relative to the top token, which every filter keeps), but with
 * min-p first, top-p measures its mass over fewer tokens and can keep fewer. Top-p here always runs on
 * the distribution that top-k left, as in both.
 */
public final class Sampler {
    private final SamplingParams params;
    private final RandomGenerator rng;
    private final SamplingWorkspace workspace;
    private final Candidates candidates;

    /** A sampler with a workspace of its own. */
    public Sampler(SamplingParams params) {
        this(params, new SamplingWorkspace());
    }

    /** A sampler that borrows {@code workspace}, shared with other samplers run by the same thread. */
    public Sampler(SamplingParams params, SamplingWorkspace workspace) {
        this.params = Objects.requireNonNull(params, "params");
        this.workspace = Objects.requireNonNull(workspace, "workspace");
        this.candidates = workspace.candidates;
        // NOTE: SplittableRandom's algorithm is fixed by its spec, so seeded streams are stable across JDKs.
        this.rng = params.seed().isPresent() ? new SplittableRandom(params.seed().getAsLong())
                : new SplittableRandom();
    }

    public SamplingParams params() {
        return params;
    }

    /**
     * The next token from the f32 logit row at {@code rowOffsetBytes} (little-endian,
     * {@code vocab} floats). Consumes one random number unless greedy.
     */
    public int sample(MemorySegment logits, long rowOffsetBytes, int vocab) {
        LogitRow.check(logits, rowOffsetBytes, vocab);
        if (params.temperature() == 0) {
            return LogitRow.argmax(logits, rowOffsetBytes, vocab);
        }
        select(logits, rowOffsetBytes, vocab, 1 / params.temperature());
        return candidates.token(candidates.pick(rng.nextDouble()));
    }

    /**
     * Logprobs of {@code token} and of the {@code numLogprobs} most likely tokens, as log-softmax of
     * the raw logits (before temperature and filters), which is what OpenAI and vLLM report by default.
     */
    public LogprobResult logprobs(MemorySegment logits, long rowOffsetBytes, int vocab, int token) {
        LogitRow.check(logits, rowOffsetBytes, vocab);
        return workspace.logprobs().compute(logits, rowOffsetBytes, vocab, token, params.numLogprobs());
    }

    private void select(MemorySegment logits, long offset, int vocab, double invTemperature) {
        if (params.topKActive(vocab)) {
            candidates.selectTopK(logits, offset, vocab, params.topK(), invTemperature);
        } else if (params.massFilterActive()) {
            candidates.selectForMass(logits, offset, vocab, invTemperature, params.topP(), params.minP());
        } else {
            candidates.selectAll(logits, offset, vocab, invTemperature);
            return; // no filter: draw straight from the dense weights
        }
        if (params.topP() < 1) {
            candidates.keepNucleus(params.topP());
        }
        if (params.minP() > 0) {
            candidates.keepMinP(params.minP());
        }
    }

    /** The filtered candidates of the last {@link #sample} call on this workspace; for tests of the filters. */
    Candidates lastCandidates() {
        return candidates;
    }
}
