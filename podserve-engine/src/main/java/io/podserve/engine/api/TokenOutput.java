package io.podserve.engine.api;

/**
 * One generated token and, when asked for, its log-probability and the top alternatives (from the
 * raw model distribution, before temperature and truncation, as vLLM reports them).
 *
 * @param token       token id
 * @param logprob     natural log-probability, NaN when logprobs were not asked for
 * @param topTokens   the most likely tokens, best first (empty unless asked for)
 * @param topLogprobs their log-probabilities
 */
public record TokenOutput(int token, double logprob, int[] topTokens, double[] topLogprobs) {
}
