package io.podserve.kernels.sampling;

import java.util.Arrays;

/**
 * Log-probabilities for one step: the chosen token's, and the most likely alternatives in
 * descending order (OpenAI's {@code top_logprobs}). Natural log, from the raw logits.
 *
 * @param token        the chosen token
 * @param logprob      its log-probability
 * @param topTokens    the most likely tokens, most likely first; ties go to the lower id
 * @param topLogprobs  their log-probabilities, same order
 */
public record LogprobResult(int token, double logprob, int[] topTokens, double[] topLogprobs) {

    public LogprobResult {
        if (topTokens.length != topLogprobs.length) {
            throw new IllegalArgumentException("topTokens and topLogprobs differ in length: "
                    + topTokens.length + " vs " + topLogprobs.length);
        }
        // The arrays are handed out as they are; callers build them fresh and do not share them.
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof LogprobResult r && token == r.token && Double.compare(logprob, r.logprob) == 0
                && Arrays.equals(topTokens, r.topTokens) && Arrays.equals(topLogprobs, r.topLogprobs);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * Integer.hashCode(token) + Double.hashCode(logprob)) + Arrays.hashCode(topTokens);
    }

    @Override
    public String toString() {
        return "LogprobResult[token=" + token + ", logprob=" + logprob + ", top="
                + Arrays.toString(topTokens) + " " + Arrays.toString(topLogprobs) + "]";
    }
}
