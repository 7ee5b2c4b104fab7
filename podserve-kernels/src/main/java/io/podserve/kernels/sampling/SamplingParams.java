package io.podserve.kernels.sampling;

import java.util.Objects;
import java.util.OptionalLong;

/**
 * How one sequence picks its next token. Defaults and meanings follow vLLM / OpenAI.
 * Messages of the validation errors reach API users, so they name the field and the allowed range.
 *
 * @param temperature logits are divided by it; 0 means greedy (argmax)
 * @param topK        keep the k most likely tokens; 0, or k ≥ vocab, means off
 * @param topP        nucleus mass in (0, 1]; 1 means off
 * @param minP        drop tokens below {@code minP × max prob}, in [0, 1]; 0 means off
 * @param seed        seeds the sequence's own RNG; empty means a random seed
 * @param numLogprobs alternatives reported with each token's logprob; 0 means none
 */
public record SamplingParams(double temperature, int topK, double topP, double minP, OptionalLong seed,
        int numLogprobs) {

    public SamplingParams {
        Objects.requireNonNull(seed, "seed must not be null (use OptionalLong.empty() for a random seed)");
        // NOTE: the negated comparisons reject NaN as well.
        if (!(temperature >= 0) || Double.isInfinite(temperature)) {
            throw invalid("temperature", "a finite number >= 0 (0 = greedy)", temperature);
        }
        if (topK < 0) {
            throw invalid("top_k", "an integer >= 0 (0 = off)", topK);
        }
        if (!(topP > 0 && topP <= 1)) {
            throw invalid("top_p", "in (0, 1] (1 = off)", topP);
        }
        if (!(minP >= 0 && minP <= 1)) {
            throw invalid("min_p", "in [0, 1] (0 = off)", minP);
        }
        if (numLogprobs < 0) {
            throw invalid("logprobs", "an integer >= 0 (0 = none)", numLogprobs);
        }
    }

    /** Argmax decoding, no logprobs. */
    public static SamplingParams greedy() {
        return new SamplingParams(0, 0, 1, 0, OptionalLong.empty(), 0);
    }

    /** Plain sampling at {@code temperature}, no filters, no logprobs. */
    public static SamplingParams ofTemperature(double temperature, OptionalLong seed) {
        return new SamplingParams(temperature, 0, 1, 0, seed, 0);
    }

    /** True when the top-k filter changes anything for a row of {@code vocab} logits. */
    public boolean topKActive(int vocab) {
        return topK > 0 && topK < vocab;
    }

    /** True when top-p or min-p needs the probabilities of the candidates. */
    boolean massFilterActive() {
        return topP < 1 || minP > 0;
    }

    private static IllegalArgumentException invalid(String field, String range, Object value) {
        return new IllegalArgumentException(field + " must be " + range + ", got " + value);
    }
}
