package io.podserve.server.openai;

import io.podserve.engine.api.SamplingOptions;
import io.podserve.server.http.ApiError;

/** The fields about how the answer is delivered, which both endpoints read the same way. */
final class Streaming {
    private Streaming() {
    }

    static ParsedRequest request(Fields f, ServedModel model, int[] prompt, SamplingOptions sampling,
                                 boolean logprobs) {
        boolean stream = f.bool("stream", false);
        Fields options = f.object("stream_options");
        if (options != null && !stream) {
            throw ApiError.badRequest("'stream_options' is only allowed when 'stream' is true", "stream_options");
        }
        boolean includeUsage = options != null && options.bool("include_usage", false);
        return new ParsedRequest(model.name(), prompt, sampling, stream, includeUsage, logprobs,
                f.bool("return_tokens_as_token_ids", false));
    }
}
