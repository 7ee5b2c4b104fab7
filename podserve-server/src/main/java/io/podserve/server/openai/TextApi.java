package io.podserve.server.openai;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.podserve.engine.api.SamplingOptions;
import io.podserve.engine.api.TokenOutput;
import io.podserve.server.http.ApiError;

import java.util.List;

/** {@code POST /v1/completions}: a raw prompt (text or token ids) continued as text. */
public final class TextApi implements CompletionApi {

    private static final Names NAMES = new Names("/v1/completions", "cmpl-", "text_completion");

    @Override
    public Names names() {
        return NAMES;
    }

    @Override
    public ParsedRequest parse(Fields f, ServedModel model, int maxModelLen) {
        SamplingFields.rejectUnsupported(f);
        if (f.bool("echo", false)) {
            throw ApiError.badRequest("'echo' is not supported by this server", "echo");
        }
        int[] prompt = prompt(f, model);
        if (f.has("logprobs") && f.node("logprobs").isBoolean()) {
            throw Fields.wrongType("logprobs", "an integer (how many alternatives per token)", f.node("logprobs"));
        }
        var logprobs = f.integer("logprobs", 0, SamplingOptions.MAX_TOP_LOGPROBS);
        SamplingOptions sampling = SamplingFields.read(f, model.generation(), prompt.length, maxModelLen,
                logprobs.map(Long::intValue).orElse(-1), "prompt");
        return Streaming.request(f, model, prompt, sampling, logprobs.isPresent());
    }

    /**
     * A string, an array of token ids, or either wrapped in a one-element array. Several prompts
     * in one request (OpenAI's batch form) are refused: send one request per prompt.
     */
    private static int[] prompt(Fields f, ServedModel model) {
        JsonNode p = f.node("prompt");
        if (p == null) {
            throw ApiError.badRequest("'prompt' is required", "prompt");
        }
        if (p.isArray() && p.size() == 1 && (p.get(0).isTextual() || p.get(0).isArray())) {
            p = p.get(0);
        } else if (p.isArray() && !p.isEmpty() && !p.get(0).isInt()) {
            throw ApiError.badRequest("'prompt' holds " + p.size() + " prompts; this server takes one per request",
                    "prompt");
        }
        int[] ids;
        if (p.isTextual()) {
            ids = model.textPrompt(p.textValue());
        } else if (p.isArray()) {
            ids = tokenIds(p, model.tokenizer().vocabSize());
        } else {
            throw Fields.wrongType("prompt", "a string or an array of token ids", p);
        }
        if (ids.length == 0) {
            throw ApiError.badRequest("'prompt' is empty", "prompt");
        }
        return ids;
    }

    private static int[] tokenIds(JsonNode array, int vocabSize) {
        int[] ids = new int[array.size()];
        for (int i = 0; i < ids.length; i++) {
            JsonNode id = array.get(i);
            if (!id.isInt() || id.intValue() < 0 || id.intValue() >= vocabSize) {
                throw ApiError.badRequest("'prompt[" + i + "]' must be a token id in [0, " + vocabSize + "), got "
                        + id, "prompt");
            }
            ids[i] = id.intValue();
        }
        return ids;
    }

    @Override
    public ObjectNode response(ResponseContext rc, String text, List<TokenOutput> tokens, String finishReason,
                               Usage usage) {
        ObjectNode r = rc.envelope("text_completion");
        r.putArray("choices").add(choice(rc, text, tokens, finishReason));
        r.set("usage", usage.toJson());
        return r;
    }

    @Override
    public ObjectNode openingChunk(ResponseContext rc) {
        return null;
    }

    @Override
    public ObjectNode chunk(ResponseContext rc, String text, List<TokenOutput> tokens, String finishReason) {
        ObjectNode c = rc.envelope(NAMES.chunkObject());
        c.putArray("choices").add(choice(rc, text, tokens, finishReason));
        return c;
    }

    private static ObjectNode choice(ResponseContext rc, String text, List<TokenOutput> tokens, String finishReason) {
        ObjectNode choice = CompletionApi.object();
        choice.put("index", 0);
        choice.put("text", text);
        if (rc.logprobs()) {
            choice.set("logprobs", Logprobs.text(rc, tokens));
        } else {
            choice.putNull("logprobs");
        }
        choice.put("finish_reason", finishReason);
        return choice;
    }
}
