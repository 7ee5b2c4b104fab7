package io.podserve.model.chat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.podserve.model.ModelFormatException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** What tokenizer_config.json says about chat: the template text and the special token strings. */
record TokenizerChatConfig(String template, Map<String, Object> specialTokens) {
    /** The attributes transformers' special_tokens_map exposes to templates. */
    private static final List<String> SPECIAL_TOKEN_KEYS =
            List.of("bos_token", "eos_token", "unk_token", "sep_token", "pad_token", "cls_token", "mask_token");

    static TokenizerChatConfig read(Path file) {
        JsonNode root = readJson(file);
        return new TokenizerChatConfig(template(file, root.get("chat_template")), specialTokens(file, root));
    }

    private static JsonNode readJson(Path file) {
        JsonNode root;
        try {
            root = new ObjectMapper().readTree(file.toFile());
        } catch (IOException e) {
            throw new ModelFormatException(file, "cannot read it as JSON: " + e.getMessage(), e);
        }
        if (root == null || !root.isObject()) {
            throw new ModelFormatException(file, "is not a JSON object");
        }
        return root;
    }

    private static String template(Path file, JsonNode node) {
        if (node == null || node.isNull()) {
            throw new ModelFormatException(file, "has no \"chat_template\", so this model does not say how to "
                    + "format a conversation; pass a Jinja template file with --chat-template");
        }
        if (node.isTextual()) {
            return node.textValue();
        }
        if (!node.isArray()) {
            throw new ModelFormatException(file, "\"chat_template\" must be a string or a list of {name, template}");
        }
        List<String> names = new ArrayList<>();
        for (JsonNode entry : node) {
            String name = entry.path("name").asText("");
            if (name.equals("default") && entry.path("template").isTextual()) {
                return entry.get("template").textValue();
            }
            names.add(name);
        }
        throw new ModelFormatException(file, "\"chat_template\" lists templates " + names
                + " but none is named \"default\"; pass one with --chat-template");
    }

    private static Map<String, Object> specialTokens(Path file, JsonNode root) {
        Map<String, Object> tokens = new LinkedHashMap<>();
        for (String key : SPECIAL_TOKEN_KEYS) {
            String content = tokenContent(file, key, root.get(key));
            if (content != null) {
                tokens.put(key, content);
            }
        }
        JsonNode additional = root.get("additional_special_tokens");
        if (additional != null && additional.isArray()) {
            List<Object> contents = new ArrayList<>();
            additional.forEach(token -> contents.add(tokenContent(file, "additional_special_tokens", token)));
            tokens.put("additional_special_tokens", contents);
        }
        return tokens;
    }

    /** A token is a plain string or an AddedToken object {"__type": "AddedToken", "content": ...}. */
    private static String tokenContent(Path file, String key, JsonNode token) {
        if (token == null || token.isNull()) {
            return null;
        }
        if (token.isTextual()) {
            return token.textValue();
        }
        if (token.path("content").isTextual()) {
            return token.get("content").textValue();
        }
        throw new ModelFormatException(file, "\"" + key + "\" must be a string or an AddedToken object with \"content\"");
    }
}
