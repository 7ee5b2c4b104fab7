package io.podserve.model.chat;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Python's json.dumps with the options transformers' tojson filter exposes. */
final class PyJson {
    private final boolean ensureAscii;
    private final String indent;
    private final String itemSeparator;
    private final String keySeparator;
    private final boolean sortKeys;

    PyJson(boolean ensureAscii, Object indent, Object separators, boolean sortKeys) {
        this.ensureAscii = ensureAscii;
        this.indent = indentUnit(indent);
        this.sortKeys = sortKeys;
        if (separators == null) {
            this.itemSeparator = this.indent == null ? ", " : ",";
            this.keySeparator = ": ";
        } else {
            List<Object> pair = PyValues.iterate(separators);
            if (pair.size() != 2 || !(pair.get(0) instanceof String item) || !(pair.get(1) instanceof String key)) {
                throw new TemplateRuntimeError("separators must be a pair of strings");
            }
            this.itemSeparator = item;
            this.keySeparator = key;
        }
    }

    private static String indentUnit(Object indent) {
        return switch (indent) {
            case null -> null;
            case String s -> s;
            default -> " ".repeat((int) Math.max(0, PyValues.toLong(indent)));
        };
    }

    String dumps(Object value) {
        StringBuilder out = new StringBuilder();
        write(value, 0, out);
        return out.toString();
    }

    private void write(Object value, int level, StringBuilder out) {
        switch (value) {
            case null -> out.append("null");
            case Boolean b -> out.append(b ? "true" : "false");
            case Long l -> out.append(l);
            case BigInteger b -> out.append(b);
            case Double d -> out.append(floatLiteral(d));
            case String s -> writeString(s, out);
            case List<?> l -> writeArray(l, level, out);
            case PyTuple t -> writeArray(t.items(), level, out);
            case Map<?, ?> m -> writeObject(m, level, out);
            default -> throw new TemplateRuntimeError("Object of type " + PyValues.typeName(value) + " is not JSON serializable");
        }
    }

    private static String floatLiteral(double d) {
        if (Double.isNaN(d)) {
            return "NaN";
        }
        if (Double.isInfinite(d)) {
            return d > 0 ? "Infinity" : "-Infinity";
        }
        return PyRepr.floatRepr(d);
    }

    private void writeArray(List<?> items, int level, StringBuilder out) {
        if (items.isEmpty()) {
            out.append("[]");
            return;
        }
        out.append('[');
        String separator = openNested(level, out);
        for (int i = 0; i < items.size(); i++) {
            if (i > 0) {
                out.append(separator);
            }
            write(items.get(i), level + 1, out);
        }
        closeNested(level, out);
        out.append(']');
    }

    private void writeObject(Map<?, ?> map, int level, StringBuilder out) {
        if (map.isEmpty()) {
            out.append("{}");
            return;
        }
        List<Map.Entry<?, ?>> entries = new ArrayList<>(map.entrySet());
        if (sortKeys) {
            entries.sort((a, b) -> PyValues.compare(a.getKey(), b.getKey(), "<"));
        }
        out.append('{');
        String separator = openNested(level, out);
        for (int i = 0; i < entries.size(); i++) {
            if (i > 0) {
                out.append(separator);
            }
            writeString(keyString(entries.get(i).getKey()), out);
            out.append(keySeparator);
            write(entries.get(i).getValue(), level + 1, out);
        }
        closeNested(level, out);
        out.append('}');
    }

    /** Starts the items of a nested value; returns what goes between two items. */
    private String openNested(int level, StringBuilder out) {
        if (indent == null) {
            return itemSeparator;
        }
        String newlineIndent = "\n" + indent.repeat(level + 1);
        out.append(newlineIndent);
        return itemSeparator + newlineIndent;
    }

    private void closeNested(int level, StringBuilder out) {
        if (indent != null) {
            out.append('\n').append(indent.repeat(level));
        }
    }

    private static String keyString(Object key) {
        return switch (key) {
            case String s -> s;
            case null -> "null";
            case Boolean b -> b ? "true" : "false";
            case Double d -> floatLiteral(d);
            case Long l -> l.toString();
            case BigInteger b -> b.toString();
            default -> throw new TemplateRuntimeError("keys must be str, int, float, bool or None, not "
                    + PyValues.typeName(key));
        };
    }

    private void writeString(String s, StringBuilder out) {
        out.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                case '\b' -> out.append("\\b");
                case '\f' -> out.append("\\f");
                default -> {
                    boolean escape = c < 0x20 || (ensureAscii && c > 0x7E);
                    out.append(escape ? String.format("\\u%04x", (int) c) : String.valueOf(c));
                }
            }
        }
        out.append('"');
    }
}
