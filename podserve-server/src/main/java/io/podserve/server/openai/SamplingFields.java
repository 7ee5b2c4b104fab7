package io.podserve.server.openai;

import io.podserve.engine.api.SamplingOptions;
import io.podserve.model.config.GenerationConfig;
import io.podserve.server.http.ApiError;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.OptionalLong;
import java.util.Set;

/**
 * The sampling and stopping fields that chat and text completions share, read into
 * {@link SamplingOptions}. Fields a request leaves out take generation_config.json's value when the
 * model samples by default, else OpenAI's defaults (temperature 1, top_p 1).
 */
final class SamplingFields {
    static final int MAX_STOP_STRINGS = 4;
    private static final List<String> UNSUPPORTED = List.of("tools", "tool_choice", "functions", "function_call",
            "logit_bias", "suffix", "prediction", "audio");

    private SamplingFields() {
    }

    /** Rejects fields whose meaning this server does not implement rather than silently ignoring them. */
    static void rejectUnsupported(Fields f) {
        for (String name : UNSUPPORTED) {
            if (f.has(name)) {
                throw ApiError.badRequest("'" + name + "' is not supported by this server", name);
            }
        }
        for (String name : List.of("frequency_penalty", "presence_penalty")) {
            if (f.number(name, -2, 2).orElse(0.0) != 0) {
                throw ApiError.badRequest("'" + name + "' is not supported by this server (only 0)", name);
            }
        }
        if (f.integer("n", 1, Integer.MAX_VALUE).orElse(1L) != 1) {
            throw ApiError.badRequest("'n' must be 1: this server returns one choice per request", "n");
        }
    }

    /**
     * Reads the options for a prompt of {@code promptLength} tokens. The output budget is
     * max_completion_tokens, else max_tokens, else what the context leaves after the prompt.
     */
    static SamplingOptions read(Fields f, GenerationConfig gen, int promptLength, int maxModelLen, int topLogprobs,
                                String promptField) {
        if (promptLength >= maxModelLen) {
            throw contextExceeded("the prompt is " + promptLength + " tokens; this model's context is " + maxModelLen
                    + " tokens, and at least one must be left for the output", promptField);
        }
        String budgetField = f.has("max_completion_tokens") ? "max_completion_tokens" : "max_tokens";
        int maxTokens = f.integer(budgetField, 1, Integer.MAX_VALUE)
                .map(Long::intValue).orElse(maxModelLen - promptLength);
        if ((long) promptLength + maxTokens > maxModelLen) {
            throw contextExceeded("this model's context is " + maxModelLen + " tokens; the prompt is " + promptLength
                    + " tokens and '" + budgetField + "' asks for " + maxTokens + " more; lower it to at most "
                    + (maxModelLen - promptLength), budgetField);
        }
        double temperature = f.number("temperature", 0, 2).orElse(gen.doSample() ? gen.temperature() : 1.0);
        double topP = f.number("top_p", 0, 1).orElse(gen.doSample() ? gen.topP() : 1.0);
        if (topP == 0) {
            throw ApiError.badRequest("'top_p' must be greater than 0", "top_p");
        }
        int topK = f.integer("top_k", -1, Integer.MAX_VALUE).map(Long::intValue).orElse(gen.doSample() ? gen.topK() : 0);
        double minP = f.number("min_p", 0, 1).orElse(0.0);
        OptionalLong seed = f.integer("seed", Long.MIN_VALUE, Long.MAX_VALUE)
                .map(OptionalLong::of).orElse(OptionalLong.empty());
        List<String> stop = f.stringOrStrings("stop", MAX_STOP_STRINGS);
        try {
            return new SamplingOptions(temperature, topP, topK, minP, seed, maxTokens, stop, stopTokenIds(f),
                    f.bool("ignore_eos", false), topLogprobs, f.bool("skip_special_tokens", true));
        } catch (IllegalArgumentException e) {
            throw ApiError.badRequest(e.getMessage(), null);
        }
    }

    /** vLLM's extension: extra token ids that end the output. */
    private static Set<Integer> stopTokenIds(Fields f) {
        var node = f.node("stop_token_ids");
        if (node == null) {
            return Set.of();
        }
        Set<Integer> ids = new LinkedHashSet<>();
        if (node.isArray()) {
            for (var id : node) {
                if (!id.isInt() || id.intValue() < 0) {
                    throw Fields.wrongType("stop_token_ids", "an array of token ids", node);
                }
                ids.add(id.intValue());
            }
            return ids;
        }
        throw Fields.wrongType("stop_token_ids", "an array of token ids", node);
    }

    /** OpenAI answers an over-long request with 400 and this code; clients and SDKs look for it. */
    static ApiError contextExceeded(String message, String param) {
        return new ApiError(400, "invalid_request_error", message, param, "context_length_exceeded");
    }
}
