package io.podserve.bench.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.net.URI;

/** The two OpenAI streaming APIs: where each lives, what its body holds, where its text arrives. */
public enum Endpoint {
    COMPLETIONS("/v1/completions") {
        @Override
        void putPrompt(ObjectNode body, String prompt, int maxTokens) {
            body.put("prompt", prompt);
            body.put("max_tokens", maxTokens);
        }

        @Override
        String content(JsonNode choice) {
            return choice.path("text").asText("");
        }
    },
    CHAT("/v1/chat/completions") {
        @Override
        void putPrompt(ObjectNode body, String prompt, int maxTokens) {
            ObjectNode message = body.putArray("messages").addObject();
            message.put("role", "user");
            message.put("content", prompt);
            // NOTE: both names: max_completion_tokens is the current one (what vLLM's benchmark
            // sends), max_tokens the one older servers know; servers that know both read the same value.
            body.put("max_completion_tokens", maxTokens);
            body.put("max_tokens", maxTokens);
        }

        @Override
        String content(JsonNode choice) {
            // Reasoning models stream their thinking under its own key; those are output tokens too.
            JsonNode delta = choice.path("delta");
            for (String key : new String[] {"content", "reasoning_content", "reasoning"}) {
                String text = delta.path(key).asText("");
                if (!text.isEmpty()) {
                    return text;
                }
            }
            return "";
        }
    };

    private final String path;

    Endpoint(String path) {
        this.path = path;
    }

    /** {@code completions} or {@code chat}, as the command line spells them. */
    public static Endpoint fromName(String name) {
        return switch (name.strip().toLowerCase(java.util.Locale.ROOT)) {
            case "completions" -> COMPLETIONS;
            case "chat" -> CHAT;
            default -> throw new IllegalArgumentException("--endpoint must be completions or chat, got '" + name + "'");
        };
    }

    /** The API path, e.g. {@code /v1/completions}. */
    public String path() {
        return path;
    }

    /**
     * This endpoint under a server's base URL. The base may be the server root, end in {@code /v1},
     * or already be the full endpoint URL.
     */
    public URI resolve(String baseUrl) {
        String base = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
        if (base.endsWith(path)) {
            return URI.create(base);
        }
        return URI.create(base.endsWith("/v1") ? base + path.substring("/v1".length()) : base + path);
    }

    /** Puts the prompt and the output limit into a request body. */
    abstract void putPrompt(ObjectNode body, String prompt, int maxTokens);

    /** The text one streamed choice carries, empty when it carries none (a role-only or finish chunk). */
    abstract String content(JsonNode choice);
}
