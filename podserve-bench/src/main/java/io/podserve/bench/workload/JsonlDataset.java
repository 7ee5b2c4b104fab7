package io.podserve.bench.workload;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Prompts read from a JSON Lines file, one object a line:
 * <pre>{"prompt": "Explain KV caches.", "output_len": 128, "prompt_len": 5}</pre>
 * {@code prompt} is required; {@code output_len} (the {@code max_tokens} to request) defaults to
 * {@code --output-len}; {@code prompt_len} (tokens, for the report when the server gives no usage)
 * defaults to the prompt's whitespace-separated word count. Blank lines are skipped. Lines are
 * used in order; a file shorter than the number of prompts is used again from the top.
 */
final class JsonlDataset {
    private static final ObjectMapper JSON = new ObjectMapper();

    private JsonlDataset() {
    }

    static List<BenchRequest> read(Path file, int numPrompts, int defaultOutputLen) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file);
        } catch (NoSuchFileException e) {
            throw new UncheckedIOException("dataset " + file + " does not exist", e);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read dataset " + file + ": " + e.getMessage(), e);
        }
        List<BenchRequest> distinct = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            if (!lines.get(i).isBlank()) {
                distinct.add(parse(lines.get(i), defaultOutputLen, file + ":" + (i + 1)));
            }
        }
        if (distinct.isEmpty()) {
            throw new IllegalArgumentException("dataset " + file + " holds no prompts");
        }
        List<BenchRequest> requests = new ArrayList<>(numPrompts);
        for (int i = 0; i < numPrompts; i++) {
            requests.add(distinct.get(i % distinct.size()));
        }
        return requests;
    }

    private static BenchRequest parse(String line, int defaultOutputLen, String where) {
        JsonNode node;
        try {
            node = JSON.readTree(line);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(where + ": not a JSON object: " + e.getOriginalMessage());
        }
        JsonNode prompt = node.get("prompt");
        if (!node.isObject() || prompt == null || !prompt.isTextual() || prompt.asText().isEmpty()) {
            throw new IllegalArgumentException(where + ": needs a non-empty string field \"prompt\"");
        }
        String text = prompt.asText();
        int outputLen = positiveInt(node, "output_len", defaultOutputLen, where);
        int promptLen = positiveInt(node, "prompt_len", text.strip().split("\\s+").length, where);
        return new BenchRequest(text, promptLen, outputLen);
    }

    private static int positiveInt(JsonNode node, String field, int fallback, String where) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            return fallback;
        }
        if (!value.canConvertToInt() || !value.isIntegralNumber() || value.asInt() < 1) {
            throw new IllegalArgumentException(where + ": \"" + field + "\" must be a positive integer, got " + value);
        }
        return value.asInt();
    }
}
