package io.podserve.server.openai;

import io.podserve.engine.api.SamplingOptions;

/**
 * A checked completion request, ready for the engine.
 *
 * @param model        the model name the client asked for (already matched to the served one)
 * @param prompt       prompt token ids (chat: the rendered template, tokenized)
 * @param sampling     sampling and stop options, max_tokens resolved
 * @param stream       answer as server-sent events
 * @param includeUsage stream: end with a usage chunk ({@code stream_options.include_usage})
 * @param logprobs     report logprobs (their count is {@code sampling.topLogprobs()})
 * @param tokensAsIds  spell logprob tokens as {@code token_id:N} (vLLM's {@code return_tokens_as_token_ids})
 */
public record ParsedRequest(String model, int[] prompt, SamplingOptions sampling, boolean stream,
        boolean includeUsage, boolean logprobs, boolean tokensAsIds) {
}
