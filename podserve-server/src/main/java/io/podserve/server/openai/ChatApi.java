package io.podserve.server.openai;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.podserve.engine.api.SamplingOptions;
import io.podserve.engine.api.TokenOutput;
import io.podserve.model.ModelFormatException;
import io.podserve.model.chat.ChatMessage;
import io.podserve.server.http.ApiError;

import java.util.List;

/** {@code POST /v1/chat/completions}: messages through the chat template; answers as an assistant message. */
public final class ChatApi implements CompletionApi {

    private static final Names NAMES = new Names("/v1/chat/completions", "chatcmpl-", "chat.completion.chunk");

    @Override
    public Names names() {
        return NAMES;
    }

    @Override
    public ParsedRequest parse(Fields f, ServedModel model, int maxModelLen) {
        SamplingFields.rejectUnsupported(f);
        int[] prompt = model.chatPrompt(messages(f));
        boolean logprobs = f.bool("logprobs", false);
        int topLogprobs = f.integer("top_logprobs", 0, SamplingOptions.MAX_TOP_LOGPROBS).map(Long::intValue).orElse(0);
        if (f.has("top_logprobs") && !logprobs) {
            throw ApiError.badRequest("'top_logprobs' needs 'logprobs' set to true", "top_logprobs");
        }
        SamplingOptions sampling = SamplingFields.read(f, model.generation(), prompt.length, maxModelLen,
                logprobs ? topLogprobs : -1, "messages");
        return Streaming.request(f, model, prompt, sampling, logprobs);
    }

    /**
     * Messages as the template sees them. Content may be a string or OpenAI's list of parts; text
     * parts are joined, any other part type is refused (this server reads text only).
     */
    private static List<ChatMessage> messages(Fields f) {
        JsonNode messages = f.node("messages");
        if (messages == null) {
            throw ApiError.badRequest("'messages' is required", "messages");
        }
        if (!messages.isArray() || messages.isEmpty()) {
            throw Fields.wrongType("messages", "a non-empty array of messages", messages);
        }
        ArrayNode normalized = messages.deepCopy();
        for (int i = 0; i < normalized.size(); i++) {
            if (normalized.get(i) instanceof ObjectNode m && m.get("content") instanceof ArrayNode parts) {
                m.put("content", joinTextParts(parts, "messages[" + i + "].content"));
            }
        }
        try {
            return ChatMessage.listFromJson(normalized.toString());
        } catch (ModelFormatException e) {
            throw ApiError.badRequest(e.getMessage(), "messages");
        }
    }

    private static String joinTextParts(ArrayNode parts, String where) {
        StringBuilder text = new StringBuilder();
        for (int p = 0; p < parts.size(); p++) {
            JsonNode part = parts.get(p);
            if (!"text".equals(part.path("type").asText()) || !part.path("text").isTextual()) {
                throw ApiError.badRequest(where + "[" + p + "] must be {\"type\": \"text\", \"text\": \"...\"}; "
                        + "this server reads text parts only", "messages");
            }
            text.append(part.get("text").textValue());
        }
        return text.toString();
    }

    @Override
    public ObjectNode response(ResponseContext rc, String text, List<TokenOutput> tokens, String finishReason,
                               Usage usage) {
        ObjectNode r = rc.envelope("chat.completion");
        ObjectNode choice = r.putArray("choices").addObject();
        choice.put("index", 0);
        ObjectNode message = choice.putObject("message");
        message.put("role", "assistant");
        message.put("content", text);
        message.putNull("refusal");
        setLogprobs(rc, choice, tokens);
        choice.put("finish_reason", finishReason);
        r.set("usage", usage.toJson());
        return r;
    }

    @Override
    public ObjectNode openingChunk(ResponseContext rc) {
        ObjectNode c = rc.envelope(NAMES.chunkObject());
        ObjectNode choice = c.putArray("choices").addObject();
        choice.put("index", 0);
        choice.putObject("delta").put("role", "assistant").put("content", "");
        choice.putNull("logprobs");
        choice.putNull("finish_reason");
        return c;
    }

    @Override
    public ObjectNode chunk(ResponseContext rc, String text, List<TokenOutput> tokens, String finishReason) {
        ObjectNode c = rc.envelope(NAMES.chunkObject());
        ObjectNode choice = c.putArray("choices").addObject();
        choice.put("index", 0);
        ObjectNode delta = choice.putObject("delta");
        if (!text.isEmpty() || finishReason == null) {
            delta.put("content", text);
        }
        setLogprobs(rc, choice, tokens);
        choice.put("finish_reason", finishReason);
        return c;
    }

    private static void setLogprobs(ResponseContext rc, ObjectNode choice, List<TokenOutput> tokens) {
        if (rc.logprobs()) {
            choice.set("logprobs", Logprobs.chat(rc, tokens));
        } else {
            choice.putNull("logprobs");
        }
    }
}
