package io.podserve.model.chat;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Converts JSON trees and plain Java values into the value model templates see: Long for ints,
 * Double for floats, insertion-ordered maps (Python dicts keep insertion order too).
 */
final class TemplateValues {
    private TemplateValues() {}

    static Object fromJson(JsonNode node) {
        if (node == null || node.isNull() || node.isMissingNode()) {
            return null;
        }
        if (node.isObject()) {
            Map<Object, Object> map = new LinkedHashMap<>();
            node.properties().forEach(e -> map.put(e.getKey(), fromJson(e.getValue())));
            return map;
        }
        if (node.isArray()) {
            List<Object> list = new ArrayList<>(node.size());
            node.forEach(item -> list.add(fromJson(item)));
            return list;
        }
        if (node.isTextual()) {
            return node.textValue();
        }
        if (node.isBoolean()) {
            return node.booleanValue();
        }
        if (node.isIntegralNumber()) {
            return PyValues.integer(node.bigIntegerValue());
        }
        return node.doubleValue();
    }

    /** Accepts what a Java caller may pass as a template variable; rejects what Python could not hold. */
    static Object fromJava(Object value) {
        return switch (value) {
            case null -> null;
            case String s -> s;
            case Boolean b -> b;
            case Long l -> l;
            case Integer i -> i.longValue();
            case Short s -> s.longValue();
            case Byte b -> b.longValue();
            case BigInteger b -> PyValues.integer(b);
            case Double d -> d;
            case Float f -> f.doubleValue();
            case BigDecimal b -> b.doubleValue();
            case JsonNode n -> fromJson(n);
            case Map<?, ?> m -> {
                Map<Object, Object> copy = new LinkedHashMap<>();
                m.forEach((k, v) -> copy.put(fromJava(k), fromJava(v)));
                yield copy;
            }
            case Collection<?> c -> {
                List<Object> copy = new ArrayList<>(c.size());
                c.forEach(item -> copy.add(fromJava(item)));
                yield copy;
            }
            case ChatMessage m -> m.toTemplateValue();
            default -> throw new IllegalArgumentException("a chat template variable cannot hold a "
                    + value.getClass().getName() + "; use strings, numbers, booleans, lists and maps");
        };
    }
}
