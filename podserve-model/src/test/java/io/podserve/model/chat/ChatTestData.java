package io.podserve.model.chat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/** Where the chat tests find their fixtures, and JSON helpers for reading them. */
final class ChatTestData {
    static final ObjectMapper JSON = new ObjectMapper();

    private ChatTestData() {}

    static Path tokenizerConfig(String model) {
        return Path.of(System.getProperty("podserve.testdata"), "tokenizers", model, "tokenizer_config.json");
    }

    static Path testdata(String... parts) {
        return Path.of(System.getProperty("podserve.testdata"), parts);
    }

    static Path models(String... parts) {
        return Path.of(System.getProperty("podserve.models"), parts);
    }

    static JsonNode readJson(Path file) {
        try {
            return JSON.readTree(file.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A JSON file next to the test classes, under io/podserve/model/chat/. */
    static JsonNode resource(String name) {
        try (InputStream in = ChatTestData.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("missing test resource " + name);
            }
            return JSON.readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> variables(JsonNode object) {
        return JSON.convertValue(object, LinkedHashMap.class);
    }
}
