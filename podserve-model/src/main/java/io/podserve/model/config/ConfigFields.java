package io.podserve.model.config;

import com.fasterxml.jackson.databind.JsonNode;
import io.podserve.model.ModelFormatException;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Typed access to one JSON object of a config file, with errors that name the file, the field and
 * the model type that needed it. Absent and JSON-null fields are treated alike, as transformers does.
 */
final class ConfigFields {
    private final Path file;
    private final JsonNode node;
    /** Prefix of this object's field names in messages: "" at top level, "rope_scaling." inside it. */
    private final String context;

    ConfigFields(Path file, JsonNode node, String context) {
        this.file = file;
        this.node = node;
        this.context = context;
    }

    Path file() {
        return file;
    }

    boolean has(String name) {
        JsonNode v = node.get(name);
        return v != null && !v.isNull();
    }

    /** The nested object {@code name}, or null when absent. */
    ConfigFields object(String name) {
        if (!has(name)) {
            return null;
        }
        JsonNode v = node.get(name);
        if (!v.isObject()) {
            throw error(name, "must be an object, found " + v.getNodeType().name().toLowerCase());
        }
        return new ConfigFields(file, v, context + name + ".");
    }

    int requireInt(String name) {
        if (!has(name)) {
            throw error(name, "is missing");
        }
        return intValue(name);
    }

    int intOr(String name, int fallback) {
        return has(name) ? intValue(name) : fallback;
    }

    double requireDouble(String name) {
        if (!has(name)) {
            throw error(name, "is missing");
        }
        return doubleOr(name, 0);
    }

    double doubleOr(String name, double fallback) {
        if (!has(name)) {
            return fallback;
        }
        JsonNode v = node.get(name);
        if (!v.isNumber()) {
            throw error(name, "must be a number, found " + v);
        }
        return v.asDouble();
    }

    boolean boolOr(String name, boolean fallback) {
        if (!has(name)) {
            return fallback;
        }
        JsonNode v = node.get(name);
        if (!v.isBoolean()) {
            throw error(name, "must be true or false, found " + v);
        }
        return v.asBoolean();
    }

    String stringOr(String name, String fallback) {
        if (!has(name)) {
            return fallback;
        }
        JsonNode v = node.get(name);
        if (!v.isTextual()) {
            throw error(name, "must be a string, found " + v);
        }
        return v.asText();
    }

    /** An int, a list of ints, or absent (empty list): the forms of {@code eos_token_id}. */
    List<Integer> intList(String name) {
        List<Integer> out = new ArrayList<>();
        if (!has(name)) {
            return out;
        }
        JsonNode v = node.get(name);
        if (v.isArray()) {
            for (JsonNode e : v) {
                if (!e.canConvertToInt()) {
                    throw error(name, "must hold integers, found " + e);
                }
                out.add(e.asInt());
            }
        } else if (v.canConvertToInt()) {
            out.add(v.asInt());
        } else {
            throw error(name, "must be an integer or a list of integers, found " + v);
        }
        return out;
    }

    List<String> stringList(String name) {
        List<String> out = new ArrayList<>();
        if (has(name)) {
            for (JsonNode e : node.get(name)) {
                out.add(e.asText());
            }
        }
        return out;
    }

    ModelFormatException error(String name, String problem) {
        return new ModelFormatException(file, "field '" + context + name + "' " + problem);
    }

    private int intValue(String name) {
        JsonNode v = node.get(name);
        if (!v.canConvertToInt() || (v.isFloatingPointNumber() && v.asDouble() != Math.rint(v.asDouble()))) {
            throw error(name, "must be an integer, found " + v);
        }
        return v.asInt();
    }
}
