package io.podserve.server.openai;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.podserve.server.http.ApiError;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Typed reads of a request body's fields. A wrong type or range is the client's mistake: a 400
 * whose message and {@code param} name the field. An absent field and an explicit JSON null both
 * read as "not given", as OpenAI's API treats them.
 */
final class Fields {
    private final ObjectNode body;

    Fields(ObjectNode body) {
        this.body = body;
    }

    boolean has(String name) {
        JsonNode v = body.get(name);
        return v != null && !v.isNull();
    }

    JsonNode node(String name) {
        return has(name) ? body.get(name) : null;
    }

    String requiredString(String name) {
        JsonNode v = node(name);
        if (v == null) {
            throw ApiError.badRequest("'" + name + "' is required", name);
        }
        if (!v.isTextual()) {
            throw wrongType(name, "a string", v);
        }
        return v.textValue();
    }

    Optional<Double> number(String name, double min, double max) {
        JsonNode v = node(name);
        if (v == null) {
            return Optional.empty();
        }
        if (!v.isNumber()) {
            throw wrongType(name, "a number", v);
        }
        double d = v.doubleValue();
        if (!(d >= min && d <= max)) {
            throw ApiError.badRequest("'" + name + "' must be between " + min + " and " + max + ", got " + v, name);
        }
        return Optional.of(d);
    }

    Optional<Long> integer(String name, long min, long max) {
        JsonNode v = node(name);
        if (v == null) {
            return Optional.empty();
        }
        if (!v.isIntegralNumber() || !v.canConvertToLong()) {
            throw wrongType(name, "an integer", v);
        }
        long n = v.longValue();
        if (n < min || n > max) {
            throw ApiError.badRequest("'" + name + "' must be between " + min + " and " + max + ", got " + n, name);
        }
        return Optional.of(n);
    }

    boolean bool(String name, boolean fallback) {
        JsonNode v = node(name);
        if (v == null) {
            return fallback;
        }
        if (!v.isBoolean()) {
            throw wrongType(name, "a boolean", v);
        }
        return v.booleanValue();
    }

    /** A string or an array of strings, as OpenAI's {@code stop}; at most {@code maxCount}. */
    List<String> stringOrStrings(String name, int maxCount) {
        JsonNode v = node(name);
        if (v == null) {
            return List.of();
        }
        List<String> out = new ArrayList<>();
        if (v.isTextual()) {
            out.add(v.textValue());
        } else if (v.isArray()) {
            for (JsonNode s : v) {
                if (!s.isTextual()) {
                    throw wrongType(name, "a string or an array of strings", v);
                }
                out.add(s.textValue());
            }
        } else {
            throw wrongType(name, "a string or an array of strings", v);
        }
        if (out.size() > maxCount) {
            throw ApiError.badRequest("'" + name + "' takes at most " + maxCount + " strings, got " + out.size(), name);
        }
        for (String s : out) {
            if (s.isEmpty()) {
                throw ApiError.badRequest("'" + name + "' strings must not be empty", name);
            }
        }
        return out;
    }

    /** An object field such as {@code stream_options}; null when not given. */
    Fields object(String name) {
        JsonNode v = node(name);
        if (v == null) {
            return null;
        }
        if (!v.isObject()) {
            throw wrongType(name, "an object", v);
        }
        return new Fields((ObjectNode) v);
    }

    static ApiError wrongType(String name, String expected, JsonNode got) {
        return ApiError.badRequest("'" + name + "' must be " + expected + ", got " + describe(got), name);
    }

    static String describe(JsonNode v) {
        String text = v.toString();
        return v.getNodeType().name().toLowerCase(java.util.Locale.ROOT) + " "
                + (text.length() > 40 ? text.substring(0, 40) + "…" : text);
    }
}
