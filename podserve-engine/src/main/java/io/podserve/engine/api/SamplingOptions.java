package io.podserve.engine.api;

import java.util.List;
import java.util.OptionalLong;
import java.util.Set;

/**
 * How one request samples and when it stops, as an OpenAI request states it.
 *
 * @param temperature       0 means greedy
 * @param topP              1 keeps every token
 * @param topK              0 or less keeps every token
 * @param minP              0 keeps every token
 * @param seed              makes sampling repeatable per request
 * @param maxTokens         most tokens to generate, at least 1
 * @param stop              strings that end the output; the matched string is not returned
 * @param stopTokenIds      extra token ids that end the output (beside the model's eos ids)
 * @param ignoreEos         keep going past eos ids (benchmarks)
 * @param topLogprobs       -1: no logprobs; 0..20: the chosen token's logprob plus that many alternatives
 * @param skipSpecialTokens leave special tokens out of the text
 */
public record SamplingOptions(double temperature, double topP, int topK, double minP, OptionalLong seed,
        int maxTokens, List<String> stop, Set<Integer> stopTokenIds, boolean ignoreEos, int topLogprobs,
        boolean skipSpecialTokens) {

    public static final int MAX_TOP_LOGPROBS = 20;

    public SamplingOptions {
        stop = List.copyOf(stop);
        stopTokenIds = Set.copyOf(stopTokenIds);
        if (maxTokens < 1) {
            throw new IllegalArgumentException("max_tokens must be at least 1, got " + maxTokens);
        }
        if (temperature < 0 || !Double.isFinite(temperature)) {
            throw new IllegalArgumentException("temperature must be >= 0, got " + temperature);
        }
        if (!(topP > 0 && topP <= 1)) {
            throw new IllegalArgumentException("top_p must be in (0, 1], got " + topP);
        }
        if (!(minP >= 0 && minP <= 1)) {
            throw new IllegalArgumentException("min_p must be in [0, 1], got " + minP);
        }
        if (topLogprobs < -1 || topLogprobs > MAX_TOP_LOGPROBS) {
            throw new IllegalArgumentException("top_logprobs must be in [0, " + MAX_TOP_LOGPROBS + "], got "
                    + topLogprobs);
        }
        for (String s : stop) {
            if (s.isEmpty()) {
                throw new IllegalArgumentException("stop strings must not be empty");
            }
        }
    }

    /** Greedy decoding of up to {@code maxTokens} tokens, no stop strings, no logprobs. */
    public static SamplingOptions greedy(int maxTokens) {
        return new SamplingOptions(0, 1, 0, 0, OptionalLong.empty(), maxTokens, List.of(), Set.of(), false, -1, true);
    }
}
