package io.podserve.model.chat;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.podserve.model.ModelFormatException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One chat message as a template sees it: a role, text content (null for e.g. an assistant turn
 * that only calls tools), and any other fields such as reasoning_content, tool_calls, name or
 * tool_call_id, which reach the template unchanged.
 *
 * <p>NOTE: a message without "content" is treated like one with "content": null, as OpenAI's API
 * does, so templates see None rather than an undefined value in both cases.
 */
public record ChatMessage(String role, String content, Map<String, Object> extras) {
    private static final ObjectMapper JSON = new ObjectMapper();

    public ChatMessage {
        Objects.requireNonNull(role, "role");
        Map<String, Object> copy = new LinkedHashMap<>();
        extras.forEach((k, v) -> copy.put(k, TemplateValues.fromJava(v)));
        copy.remove("role");
        copy.remove("content");
        extras = Collections.unmodifiableMap(copy);
    }

    public ChatMessage(String role, String content) {
        this(role, content, Map.of());
    }

    /**
     * Parses a JSON array of messages, e.g. {@code [{"role":"user","content":"Hi"}]}.
     *
     * @throws ModelFormatException saying what is wrong and where when the JSON is not such an array
     */
    public static List<ChatMessage> listFromJson(String json) {
        JsonNode root;
        try {
            root = JSON.readTree(json);
        } catch (JsonProcessingException e) {
            throw new ModelFormatException("messages are not valid JSON: " + e.getOriginalMessage());
        }
        if (root == null || !root.isArray()) {
            throw new ModelFormatException("messages must be a JSON array of message objects, got "
                    + describe(root) + "; example: [{\"role\": \"user\", \"content\": \"Hello\"}]");
        }
        List<ChatMessage> messages = new ArrayList<>(root.size());
        for (int i = 0; i < root.size(); i++) {
            messages.add(fromJson(root.get(i), "messages[" + i + "]"));
        }
        return List.copyOf(messages);
    }

    private static ChatMessage fromJson(JsonNode node, String where) {
        if (!node.isObject()) {
            throw new ModelFormatException(where + " must be a JSON object, got " + describe(node));
        }
        JsonNode role = node.get("role");
        if (role == null || !role.isTextual()) {
            throw new ModelFormatException(where + " has no \"role\" string (such as \"user\" or \"assistant\")");
        }
        JsonNode content = node.get("content");
        if (content != null && !content.isTextual() && !content.isNull()) {
            throw new ModelFormatException(where + ": \"content\" must be a string or null, got " + describe(content));
        }
        Map<String, Object> extras = new LinkedHashMap<>();
        node.properties().forEach(e -> extras.put(e.getKey(), TemplateValues.fromJson(e.getValue())));
        return new ChatMessage(role.textValue(), content == null ? null : content.textValue(), extras);
    }

    private static String describe(JsonNode node) {
        if (node == null || node.isMissingNode()) {
            return "nothing";
        }
        return node.getNodeType().name().toLowerCase();
    }

    /** The dict the template receives: role, content, then the extra fields in their order. */
    Map<Object, Object> toTemplateValue() {
        Map<Object, Object> value = new LinkedHashMap<>();
        value.put("role", role);
        value.put("content", content);
        value.putAll(extras);
        return value;
    }
}
