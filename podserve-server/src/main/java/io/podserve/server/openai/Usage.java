package io.podserve.server.openai;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.podserve.engine.api.GenerationEvent;

/** Token counts of one request, as OpenAI's {@code usage} object reports them. */
public record Usage(int promptTokens, int completionTokens, int cachedPromptTokens) {

    public static Usage of(GenerationEvent.Finished f) {
        return new Usage(f.promptTokens(), f.completionTokens(), f.cachedPromptTokens());
    }

    ObjectNode toJson() {
        ObjectNode u = JsonNodeFactory.instance.objectNode();
        u.put("prompt_tokens", promptTokens);
        u.put("completion_tokens", completionTokens);
        u.put("total_tokens", promptTokens + completionTokens);
        u.putObject("prompt_tokens_details").put("cached_tokens", cachedPromptTokens);
        return u;
    }
}
