package io.podserve.model.chat;

import java.util.List;
import java.util.Map;

/** The arguments of one call, read Python-style: by position, or by keyword name. */
record CallArguments(List<Object> positional, Map<String, Object> keywords) {
    static CallArguments of(List<Object> positional, Map<String, Object> keywords) {
        return new CallArguments(positional, keywords);
    }

    int size() {
        return positional.size() + keywords.size();
    }

    boolean has(int index, String name) {
        return (index >= 0 && index < positional.size()) || keywords.containsKey(name);
    }

    Object optional(int index, String name, Object fallback) {
        if (index >= 0 && index < positional.size()) {
            return positional.get(index);
        }
        return keywords.getOrDefault(name, fallback);
    }

    Object required(int index, String name) {
        if (!has(index, name)) {
            throw new TemplateRuntimeError("missing required argument '" + name + "'");
        }
        return optional(index, name, null);
    }

    String string(int index, String name) {
        Object value = required(index, name);
        if (!(value instanceof String s)) {
            throw new TemplateRuntimeError("argument '" + name + "' must be str, not " + PyValues.typeName(value));
        }
        return s;
    }

    long optionalInt(int index, String name, long fallback) {
        Object value = optional(index, name, null);
        return value == null ? fallback : PyValues.toLong(value);
    }
}
