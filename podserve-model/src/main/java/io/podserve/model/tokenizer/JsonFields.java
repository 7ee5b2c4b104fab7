package io.podserve.model.tokenizer;

import com.fasterxml.jackson.databind.JsonNode;
import io.podserve.model.ModelFormatException;
import java.nio.file.Path;

/**
 * Reads fields of {@code tokenizer.json}, failing with a {@link ModelFormatException} that names
 * the file, the component (as a JSON path such as {@code pre_tokenizer.pretokenizers[1]}) and
 * what was expected.
 */
final class JsonFields {
    private final Path file;

    /** @param file where the JSON came from; null when it was given as a string or stream */
    JsonFields(Path file) {
        this.file = file;
    }

    ModelFormatException fail(String problem) {
        return file != null
                ? new ModelFormatException(file, problem)
                : new ModelFormatException("tokenizer JSON: " + problem);
    }

    ModelFormatException fail(String problem, Throwable cause) {
        return file != null
                ? new ModelFormatException(file, problem, cause)
                : new ModelFormatException("tokenizer JSON: " + problem, cause);
    }

    ModelFormatException unsupported(String where, String type, String supported) {
        return fail(where + ": type \"" + type + "\" is not supported; supported types: " + supported);
    }

    /** The {@code "type"} of a component. */
    String type(JsonNode node, String where) {
        return text(node, "type", where);
    }

    /** A required object or array field. */
    JsonNode node(JsonNode parent, String field, String where) {
        JsonNode value = parent.get(field);
        if (value == null || value.isNull() || value.isValueNode()) {
            throw fail(where + "." + field + " is missing or not an object/array");
        }
        return value;
    }

    /** A required string field. */
    String text(JsonNode parent, String field, String where) {
        String value = optionalText(parent, field, where);
        if (value == null) {
            throw fail(where + "." + field + " is missing; expected a string");
        }
        return value;
    }

    /** A string field that may be absent or null. */
    String optionalText(JsonNode parent, String field, String where) {
        JsonNode value = parent.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isTextual()) {
            throw fail(where + "." + field + " must be a string, not " + value);
        }
        return value.asText();
    }

    boolean bool(JsonNode parent, String field, boolean absent, String where) {
        JsonNode value = parent.get(field);
        if (value == null || value.isNull()) {
            return absent;
        }
        if (!value.isBoolean()) {
            throw fail(where + "." + field + " must be true or false, not " + value);
        }
        return value.asBoolean();
    }

    int integer(JsonNode parent, String field, String where) {
        JsonNode value = parent.get(field);
        if (value == null || !value.canConvertToInt()) {
            throw fail(where + "." + field + " is missing or not an integer");
        }
        return value.asInt();
    }

    /** A field holding exactly one character (one code point), such as a Metaspace replacement. */
    int codePoint(JsonNode parent, String field, String where) {
        String value = text(parent, field, where);
        if (value.isEmpty() || value.codePointCount(0, value.length()) != 1) {
            throw fail(where + "." + field + " must be a single character, not \"" + value + "\"");
        }
        return value.codePointAt(0);
    }
}
